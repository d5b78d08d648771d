import { bool, either, instant, listOf, mapOf, nullable, num, objectOf, oneOf, tagged, text, type Field, type Shape } from './shape.js';

// Bounds of what a state file may hold. Each is well above what jobd writes (job files are
// at most 1 MiB, ids at most 64 characters, outputs are capped on save), so a file jobd
// wrote always reads back; anything beyond them was not written by jobd.

const MAX_ID = 256;
const MAX_PATH = 4096;
const MAX_TEXT = 1024 * 1024;
/** Characters of stdout or stderr in one run record. */
export const MAX_OUTPUT_CHARS = 16 * 1024 * 1024;
const MAX_ITEMS = 10_000;
const MAX_HISTORY = 1_000;
const MAX_JOBS = 1_000_000;

const TRIGGERS = ['schedule', 'manual', 'retry', 'after', 'catchup', 'resume'] as const;
const id = text(MAX_ID, true);
const path = text(MAX_PATH);
const count = num({ min: 0, integer: true });
const optional = (shape: Shape): Field => ({ shape, optional: true });
const required = (shape: Shape): Field => ({ shape });

const command: Shape = either(
  '{"shell": string} or {"argv": [strings]}',
  objectOf({ shell: required(text(MAX_TEXT)) }),
  objectOf({ argv: required(listOf(text(MAX_TEXT), MAX_ITEMS)) }),
);

const schedule: Shape = tagged('kind', {
  cron: objectOf({ expression: required(text(MAX_TEXT)), timezone: required(nullable(text(MAX_ID))) }),
  interval: objectOf({ everyMs: required(num({ min: 1 })) }),
  once: objectOf({ at: required(instant), timezone: optional(text(MAX_ID)) }),
  start: objectOf({}),
});

// The job as it was loaded last. What is used once restored (schedule, env) must be there;
// the rest is checked for its type when present, so definitions written before a field
// existed still read.
const definition: Shape = objectOf({
  id: required(id),
  file: required(path),
  schedule: required(nullable(schedule)),
  env: required(mapOf(text(MAX_TEXT), MAX_ITEMS)),
  description: optional(text(MAX_TEXT)),
  command: optional(command),
  args: optional(listOf(text(MAX_TEXT), MAX_ITEMS)),
  cwd: optional(path),
  timeoutMs: optional(nullable(num({ min: 0 }))),
  killGraceMs: optional(num({ min: 0 })),
  onTimeout: optional(nullable(command)),
  onFailure: optional(nullable(command)),
  onSuccess: optional(nullable(command)),
  overlap: optional(oneOf('skip', 'queue', 'allow', 'replace')),
  retries: optional(count),
  retryDelayMs: optional(num({ min: 0 })),
  maxRuns: optional(nullable(count)),
  jitterMs: optional(num({ min: 0 })),
  catchUp: optional(bool),
  onLeaseLoss: optional(oneOf('continue')),
  after: optional(listOf(id, MAX_ITEMS)),
  enabled: optional(bool),
  maxOutput: optional(count),
  onInterrupted: optional(oneOf('record', 'resume')),
  maxResumes: optional(count),
});

const output = text(MAX_OUTPUT_CHARS);
const runCommon = {
  run: required(id),
  job: required(id),
  trigger: required(oneOf(...TRIGGERS)),
  scheduledAt: required(instant),
  retryOf: optional(id),
  attempt: optional(count),
  resumeOf: optional(id),
  resumeCount: optional(count),
};

const finishedRun: Shape = objectOf({
  ...runCommon,
  status: required(oneOf('ok', 'failed', 'timeout', 'cancelled', 'interrupted')),
  startedAt: required(instant),
  endedAt: required(instant),
  durationMs: required(num({ min: 0 })),
  pid: required(nullable(num({ integer: true }))),
  exitCode: required(nullable(num({ integer: true }))),
  signal: required(nullable(text(MAX_ID))),
  error: optional(text(MAX_TEXT)),
  stdout: required(output),
  stderr: required(output),
});

const runRecord: Shape = tagged('status', {
  ok: finishedRun, failed: finishedRun, timeout: finishedRun, cancelled: finishedRun, interrupted: finishedRun,
  skipped: objectOf({ ...runCommon, status: required(oneOf('skipped')), reason: required(text(MAX_TEXT)) }),
});

const problem: Shape = objectOf({ file: required(path), path: required(text(MAX_TEXT)), message: required(text(MAX_TEXT)) });

/** A job record: `id` and `runCount` must be there; any other field left out takes its default. */
export const jobRecordShape: Shape = objectOf({
  id: required(id),
  runCount: required(count),
  file: optional(path),
  definition: optional(nullable(definition)),
  state: optional(oneOf('scheduled', 'running', 'paused', 'disabled', 'done', 'invalid')),
  nextRunAt: optional(nullable(instant)),
  lastFireAt: optional(nullable(instant)),
  lastStartedAt: optional(nullable(instant)),
  lastOkAt: optional(nullable(instant)),
  runSeq: optional(count),
  paused: optional(bool),
  lastRun: optional(nullable(runRecord)),
  history: optional(listOf(runRecord, MAX_HISTORY)),
  problems: optional(listOf(problem, MAX_ITEMS)),
});

/** A run in progress when the state was saved. Fields it does not name are kept, for whoever added them. */
export const runningRecordShape: Shape = objectOf({
  run: required(id),
  job: required(id),
  pid: optional(nullable(num({ integer: true }))),
  startedAt: required(instant),
  trigger: optional(oneOf(...TRIGGERS)),
  scheduledAt: optional(instant),
  resumeOf: optional(id),
  resumeCount: optional(count),
});

/** The document around the records. */
export const documentShape: Shape = objectOf({
  version: required(oneOf(1)),
  savedAt: optional(instant),
  jobsDir: optional(text(MAX_PATH, true)),
  jobs: required(listOf(jobRecordShape, MAX_JOBS)),
  running: optional(listOf(runningRecordShape, MAX_ITEMS * 10)),
});
