import { basename, resolve } from 'node:path';
import type { Command, Job, Loaded, Schedule } from '../types.js';
import { parseSchedule } from '../schedule/parse-schedule.js';
import { issuesToProblems, type FieldProblem } from './issue-messages.js';
import { parseJobFields, type JobFields } from './job-fields.js';
import { ID_PATTERN, pickJobForm, type JobForm } from './schema.js';
import { showKey, showValue } from './show-value.js';

/** What normalizeJob needs: the parsed file content, its path, the default zone and jobd's working directory. */
export interface NormalizeInput {
  raw: unknown;
  file: string;
  defaultZone: string | null;
  cwd: string;
}

/** Validates a job file's content and returns the `Job` with every default applied, or every problem found. */
export function normalizeJob(input: NormalizeInput): Loaded<Job> {
  const { raw, file } = input;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ file, path: '', message: `expected a JSON object of job fields, got ${showValue(raw)}` }] };
  }
  const fields = raw as Record<string, unknown>;
  const form = pickJobForm(fields);
  const parsed = parseJobFields(form, fields);
  const problems = parsed.ok ? [] : issuesToProblems({ issues: parsed.issues, raw: fields, form });
  const id = resolveId({ fields, form, file, problems });
  const schedule = resolveSchedule({ fields, form, defaultZone: input.defaultZone, problems });
  checkAfter({ fields, id, problems });
  problems.push(...envNameProblems(ownField(fields, 'env')));
  if (!parsed.ok || problems.length > 0 || id === null) {
    return { ok: false, problems: shownProblems(inDocumentOrder(problems, fields)).map((problem) => ({ file, ...problem })) };
  }
  return { ok: true, value: buildJob({ fields: parsed.fields, id, schedule, file, cwd: input.cwd }) };
}

// The id comes from the file name when the file does not give one.
function resolveId(input: { fields: Record<string, unknown>; form: JobForm; file: string; problems: FieldProblem[] }): string | null {
  const key = input.form === 'task' ? 'job_id' : 'id';
  const given = ownField(input.fields, key);
  if (given !== undefined) return typeof given === 'string' ? given : null;
  const name = basename(input.file).replace(/\.json$/, '');
  if (ID_PATTERN.test(name)) return name;
  const message =
    `the file name "${basename(input.file)}" does not make a valid id (expected letters, digits, "_", "." or "-", ` +
    `starting with a letter or digit, at most 64 characters); set "${key}" in the file or rename the file`;
  input.problems.push({ path: 'id', message });
  return null;
}

function resolveSchedule(input: {
  fields: Record<string, unknown>;
  form: JobForm;
  defaultZone: string | null;
  problems: FieldProblem[];
}): Schedule | null {
  const { fields, problems } = input;
  const interval = input.form === 'interval';
  const own = interval ? ['interval', 'unit'] : ['schedule'];
  // A value zod already rejected would only be reported twice.
  if (problems.some((problem) => own.includes(problem.path.split('.')[0] ?? ''))) return null;
  const raw = interval ? { every: ownField(fields, 'interval'), unit: ownField(fields, 'unit') } : ownField(fields, 'schedule');
  if (raw === undefined) {
    const after = ownField(fields, 'after');
    if (!Array.isArray(after) || after.length === 0) problems.push({ path: 'schedule', message: 'required (or give "after")' });
    return null;
  }
  const parsed = parseSchedule(raw, input.defaultZone);
  if (parsed.ok) return parsed.value;
  const path = interval ? (parsed.path === 'unit' ? 'unit' : 'interval') : ['schedule', parsed.path].filter(Boolean).join('.');
  problems.push({ path, message: parsed.message });
  return null;
}

function checkAfter(input: { fields: Record<string, unknown>; id: string | null; problems: FieldProblem[] }): void {
  const after = ownField(input.fields, 'after');
  if (!Array.isArray(after) || input.id === null) return;
  const self = after.indexOf(input.id);
  if (self >= 0) input.problems.push({ path: `after.${self}`, message: `a job cannot run after itself ("${input.id}")` });
}

/** A field the file itself gives: never one inherited from Object.prototype ("constructor", "toString"). */
function ownField(fields: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(fields, key) ? fields[key] : undefined;
}

const ENV_NAME_EXPECTED = 'an environment variable name: not empty, without "=" or a NUL character, and not "__proto__"';

// zod drops a "__proto__" key of a record without a word; a name with "=" or NUL cannot reach a process.
function envNameProblems(env: unknown): FieldProblem[] {
  if (typeof env !== 'object' || env === null || Array.isArray(env)) return [];
  return Object.keys(env)
    .filter((name) => name === '' || name === '__proto__' || name.includes('=') || name.includes('\0'))
    .map((name) => ({ path: `env.${showKey(name)}`, message: `expected ${ENV_NAME_EXPECTED}, got ${showValue(name)}` }));
}

// Problems follow the order of the fields in the file; missing fields come last.
function inDocumentOrder(problems: FieldProblem[], fields: Record<string, unknown>): FieldProblem[] {
  const ranks = new Map(Object.keys(fields).map((key, index) => [key, index]));
  const rank = (problem: FieldProblem): number => ranks.get(problem.path.split('.')[0] ?? '') ?? ranks.size;
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => rank(a.problem) - rank(b.problem) || a.order - b.order)
    .map(({ problem }) => problem);
}

/** Problems listed per file; a file of thousands of bad fields is one bounded log line, not megabytes. */
const MAX_PROBLEMS_SHOWN = 20;

function shownProblems(problems: FieldProblem[]): FieldProblem[] {
  if (problems.length <= MAX_PROBLEMS_SHOWN) return problems;
  const more = problems.length - MAX_PROBLEMS_SHOWN;
  return [...problems.slice(0, MAX_PROBLEMS_SHOWN), { path: '', message: `and ${more} more problems` }];
}

function buildJob(input: { fields: JobFields; id: string; schedule: Schedule | null; file: string; cwd: string }): Job {
  const { fields, id, schedule, file, cwd } = input;
  return {
    id,
    file: resolve(cwd, file),
    ...(fields.description === undefined ? {} : { description: fields.description }),
    schedule,
    command: toCommand(fields.command),
    args: (fields.args ?? []).map(stringifyArg),
    cwd: resolve(cwd, fields.cwd ?? '.'),
    env: fields.env ?? {},
    timeoutMs: fields.timeout ?? null,
    killGraceMs: fields.killGrace ?? 5000,
    onTimeout: fields.onTimeout === undefined ? null : toCommand(fields.onTimeout),
    onFailure: fields.onFailure === undefined ? null : toCommand(fields.onFailure),
    onSuccess: fields.onSuccess === undefined ? null : toCommand(fields.onSuccess),
    overlap: fields.overlap ?? 'skip',
    retries: fields.retries ?? 0,
    retryDelayMs: fields.retryDelay ?? 10_000,
    maxRuns: fields.maxRuns ?? null,
    jitterMs: fields.jitter ?? 0,
    catchUp: fields.catchUp ?? false,
    ...(fields.onLeaseLoss === 'continue' ? { onLeaseLoss: 'continue' as const } : {}),
    after: fields.after ?? [],
    enabled: fields.enabled ?? true,
    maxOutput: fields.maxOutput ?? 65_536,
    onInterrupted: fields.onInterrupted ?? 'record',
    maxResumes: fields.maxResumes ?? 3,
  };
}

function toCommand(value: string | string[]): Command {
  return typeof value === 'string' ? { shell: value } : { argv: value };
}

// Arguments reach a process as text: JSON values other than strings are written as JSON.
function stringifyArg(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
