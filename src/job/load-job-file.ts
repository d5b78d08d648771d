import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Job, Loaded, Problem } from '../types.js';
import { untrustedReason, type TrustRules } from './file-trust.js';
import { decodeJobBytes, type JobText } from './job-text.js';
import { jsonShape, MAX_JSON_DEPTH, type JsonPlace, type JsonShape } from './json-shape.js';
import { parseJsonText } from './json-syntax.js';
import { normalizeJob } from './normalize.js';
import { showValue } from './show-value.js';

/** Job files larger than this are rejected before parsing: no job needs a megabyte of JSON. */
export const MAX_JOB_FILE_BYTES = 1024 * 1024;

/** A job from the text of a job file: JSON syntax, nesting, a top-level object, then the job fields. */
export function parseJobText(input: { text: string; file: string; defaultZone: string | null; cwd: string }): Loaded<Job> {
  const { text, file } = input;
  if (text.trim() === '' || text === '\uFEFF') {
    return problem(file, '', 'the file is empty; expected a JSON object with the job fields');
  }
  const json = parseJsonText(text);
  if (!json.ok) return problem(file, `line ${json.line} column ${json.column}`, json.message);
  // Before anything walks the value (zod, messages, the state file): a deep one would take the stack.
  const shape = jsonShape(text.startsWith('\uFEFF') ? text.slice(1) : text);
  if (shape.tooDeep) return problem(file, shape.tooDeep.path, tooDeep(shape.tooDeep));
  const { value } = json;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return problem(file, '', `expected a JSON object with the job fields, like {"schedule": "@hourly", "command": "..."}, got ${showValue(value)}`);
  }
  const loaded = normalizeJob({ raw: value, file, defaultZone: input.defaultZone, cwd: input.cwd });
  const warnings = repeatWarnings(file, shape);
  if (warnings.length === 0) return loaded;
  return { ...loaded, warnings };
}

function tooDeep(place: JsonPlace): string {
  return `arrays and objects are nested more than ${MAX_JSON_DEPTH} levels deep (line ${place.line} column ${place.column}); ` +
    'a job file needs a few levels at most';
}

function repeatWarnings(file: string, shape: JsonShape): Problem[] {
  const warnings = shape.repeats.map((repeat) => ({
    file,
    path: repeat.path,
    message: `the key is given more than once (lines ${repeat.firstLine} and ${repeat.line}); the last value is used`,
  }));
  if (shape.moreRepeats > 0) warnings.push({ file, path: '', message: `and ${shape.moreRepeats} more keys given more than once` });
  return warnings;
}

/**
 * Reads and validates one job file; every failure (missing, unreadable, too
 * large, untrusted, invalid) is a problem, never a throw. Without `trust`,
 * ownership, modes and symlinks are not checked.
 *
 * Synchronous on purpose: a job file is a few hundred bytes on a local disk,
 * read in tens of microseconds. Through the thread pool each file took seven
 * round trips, and reading 10,000 of them took 1.7 s instead of 0.3 s.
 */
export function loadJobFile(input: { file: string; defaultZone: string | null; cwd: string; trust?: TrustRules }): Loaded<Job> {
  if (nameNotUtf8(input.file)) return problem(input.file, '', 'the file name is not valid UTF-8; rename the file');
  const untrusted = input.trust ? untrustedReason(input.file, input.trust) : null;
  if (untrusted !== null) return problem(input.file, '', untrusted);
  const read = readJobText(input.file);
  if (!read.ok) return problem(input.file, '', read.message);
  return parseJobText({ ...input, text: read.text });
}

// A name that is not UTF-8 reaches jobd with "�" in place of its bytes, and so names no file.
function nameNotUtf8(file: string): boolean {
  if (!basename(file).includes('\uFFFD')) return false;
  try {
    lstatSync(file);
    return false;
  } catch {
    // Missing under its "�" name: the real name holds other bytes.
    return true;
  }
}

// Opened without blocking and checked through the open descriptor: a FIFO put in
// the file's place is refused instead of stalling the daemon on its read.
function readJobText(file: string): JobText {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, message: readFailure(error) };
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { ok: false, message: readFailure({ code: 'EISDIR' }) };
    if (!stats.isFile()) return { ok: false, message: 'cannot read the file: it is not a regular file' };
    if (stats.size > MAX_JOB_FILE_BYTES) return { ok: false, message: tooLarge(stats.size) };
    const bytes = readFileSync(fd);
    // The file may have grown between stat and read.
    if (bytes.length > MAX_JOB_FILE_BYTES) return { ok: false, message: tooLarge(bytes.length) };
    return decodeJobBytes(bytes);
  } catch (error) {
    return { ok: false, message: readFailure(error) };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(size: number): string {
  return `the file is too large (${size} bytes); a job file may be at most ${MAX_JOB_FILE_BYTES} bytes (1 MiB)`;
}

const READ_FAILURES: Record<string, string> = {
  ENOENT: 'the file does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of its path is not a directory',
};

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reason = (Object.hasOwn(READ_FAILURES, code) ? READ_FAILURES[code] : undefined) ?? String((error as Error).message ?? error);
  const suffix = code && !reason.startsWith(code) ? ` (${code})` : '';
  return `cannot read the file: ${reason}${suffix}`;
}

function problem(file: string, path: string, message: string): Loaded<Job> {
  return { ok: false, problems: [{ file, path, message }] };
}

/** One line per problem, as `jobd validate` and the `job.invalid` log show it: `file: path: message`. */
export function formatProblem(p: Problem): string {
  return p.path === '' ? `${p.file}: ${p.message}` : `${p.file}: ${p.path}: ${p.message}`;
}

/** A canonical JSON string of a job (keys sorted): equal for the same definition, different otherwise. */
export function jobDefinitionKey(job: Job): string {
  return JSON.stringify(sortKeys(job));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}
