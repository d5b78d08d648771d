import type { z } from 'zod';
import { closestField } from './did-you-mean.js';
import { DURATION_EXPECTED, parseDuration, parseDurationOrZero } from './duration.js';
import { FORM_FIELDS, MAX_OUTPUT_BYTES, MAX_RESUMES, type JobForm } from './schema.js';
import { showKey, showValue } from './show-value.js';

/** A problem before the file name is attached: a dotted field path and a message. */
export interface FieldProblem {
  path: string;
  message: string;
}

const ID_EXPECTED = 'an id of letters, digits, "_", "." or "-", starting with a letter or digit, at most 64 characters';
const COMMAND_EXPECTED = 'a non-empty string or a non-empty array of strings';

/**
 * What each field (or each item of a list field, `*`) expects, in words a person can act on.
 * Maps, not objects: a field named "constructor" or "__proto__" must find nothing here.
 */
const EXPECTED = new Map<string, string>(Object.entries({
  id: ID_EXPECTED,
  job_id: ID_EXPECTED,
  description: 'a string',
  schedule: 'a schedule: a string like "*/5 * * * *", "@daily" or "@every 5m", or an object like {"every": "5m"}',
  command: COMMAND_EXPECTED,
  'command.*': 'a non-empty string',
  args: 'an array of values',
  cwd: 'a non-empty string (a directory)',
  env: 'an object of strings, like {"NAME": "value"}',
  'env.*': 'a string',
  onTimeout: COMMAND_EXPECTED,
  'onTimeout.*': 'a non-empty string',
  onFailure: COMMAND_EXPECTED,
  'onFailure.*': 'a non-empty string',
  onSuccess: COMMAND_EXPECTED,
  'onSuccess.*': 'a non-empty string',
  overlap: 'one of skip, queue, allow, replace',
  retries: 'an integer from 0 to 10',
  maxRuns: 'an integer of at least 1',
  catchUp: 'true or false',
  onLeaseLoss: 'one of stop, continue',
  after: 'an array of job ids',
  'after.*': ID_EXPECTED,
  enabled: 'true or false',
  maxOutput: `an integer from 0 to ${MAX_OUTPUT_BYTES} (bytes, at most 16 MiB)`,
  onInterrupted: 'one of record, resume',
  maxResumes: `an integer from 0 to ${MAX_RESUMES}`,
  $schema: 'a string',
  interval: 'an integer from 1 to 1000000',
  unit: 'one of seconds, minutes, hours, days',
  task: 'an object like {"type": "execute_command", "command": "..."}',
  'task.type': '"execute_command"',
  'task.command': COMMAND_EXPECTED,
  'task.command.*': 'a non-empty string',
}));

const DURATIONS = new Set(['timeout', 'killGrace', 'retryDelay', 'jitter']);

// Fields of one form written in a file of another form: say which form, not just "unknown".
const OTHER_FORM: Record<JobForm, Map<string, string>> = {
  canonical: new Map(),
  interval: new Map([['schedule', 'not allowed together with "interval" and "unit"; give either "schedule" or "interval" and "unit"']]),
  task: new Map([
    ['id', 'not allowed together with "task"; use "job_id"'],
    ['command', 'not allowed together with "task"; put the command in "task.command"'],
    ['interval', 'not allowed together with "task"; use "schedule"'],
    ['unit', 'not allowed together with "task"; use "schedule"'],
  ]),
};

const HINTED_UNKNOWN_FIELDS = 100;

/** Turns zod issues into one problem per field path, each saying what was expected and what was received. */
export function issuesToProblems(input: { issues: readonly z.core.$ZodIssue[]; raw: unknown; form: JobForm }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of input.issues.flatMap(insideUnion)) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        // Only the first few are shown (see normalize.ts); the rest need no did-you-mean search.
        const shown = problems.length < HINTED_UNKNOWN_FIELDS;
        problems.push(shown ? unknownField({ parent: path, key, form: input.form }) : { path: [...path, showKey(key)].join('.'), message: 'unknown field' });
      }
    } else {
      problems.push({ path: path.map(showKey).join('.'), message: describeIssue(path, valueAt(input.raw, path)) });
    }
  }
  return withoutRepeats(problems);
}

// `["ls", 7]` fails both `string` and `string[]`, but it is an array: report the item, not the union.
function insideUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const sameType = issue.errors.filter((branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0));
  const [only] = sameType;
  if (sameType.length !== 1 || only === undefined) return [issue];
  return only.flatMap((inner) => insideUnion({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue));
}

function describeIssue(path: string[], value: unknown): string {
  const [field = ''] = path;
  if (path.length === 1 && DURATIONS.has(field)) {
    const parsed = field === 'jitter' ? parseDurationOrZero(value) : parseDuration(value);
    return parsed.ok ? `expected ${DURATION_EXPECTED}, got ${showValue(value)}` : parsed.message;
  }
  const expected = EXPECTED.get(patternOf(path)) ?? 'a valid value';
  return value === undefined ? `required; expected ${expected}` : `expected ${expected}, got ${showValue(value)}`;
}

// `command.1` and `env.HOME` share the wording of `command.*` and `env.*`.
function patternOf(path: string[]): string {
  const fixed = path[0] === 'task' ? 2 : 1;
  return path.map((segment, i) => (i < fixed ? segment : '*')).join('.');
}

function unknownField(input: { parent: string[]; key: string; form: JobForm }): FieldProblem {
  const path = [...input.parent, showKey(input.key)].join('.');
  const nested = input.parent.length > 0;
  const otherForm = nested ? undefined : OTHER_FORM[input.form].get(input.key);
  if (otherForm) return { path, message: otherForm };
  const candidates = nested ? ['type', 'command'] : FORM_FIELDS[input.form];
  const hint = closestField(input.key, candidates);
  const message = hint ? `unknown field (did you mean "${hint}"?)` : `unknown field; expected one of: ${candidates.join(', ')}`;
  return { path, message };
}

function valueAt(raw: unknown, path: string[]): unknown {
  let value = raw;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

// One field can fail several checks at once (a union and its refinement); its message is said once.
function withoutRepeats(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\n${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
