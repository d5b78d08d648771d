import { z } from 'zod';
import type { Parsed } from '../types.js';
import { DURATION_PATTERN, parseDuration, parseDurationOrZero } from './duration.js';

/** What a job id may look like (SPEC §2). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The three shapes a job file may take: the canonical one and the two compatible forms. */
export type JobForm = 'canonical' | 'interval' | 'task';

/** The most output a job may keep per run (`maxOutput`): 16 MiB, so that a record never holds hundreds of megabytes. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** The most resumes in a row `maxResumes` may ask for: a run interrupted more often than this needs a person. */
export const MAX_RESUMES = 100;

const id = z.string().regex(ID_PATTERN);

const command = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .meta({ description: 'a string runs through /bin/sh -c; an array is argv, no shell' });

const DURATION_DESCRIPTION = 'seconds as a number, or a string like "30s", "500ms", "1h30m" (units ms, s, m, h, d)';

/** A duration field: validated by the same parser as everywhere else, and turned into milliseconds. */
function durationField(parse: (value: unknown) => Parsed<number>, minimum: 'positive' | 'nonnegative') {
  const number = minimum === 'positive' ? z.number().positive() : z.number().nonnegative();
  return z
    .union([number, z.string().regex(new RegExp(DURATION_PATTERN))])
    .transform((value, ctx) => {
      const parsed = parse(value);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    })
    .meta({ description: DURATION_DESCRIPTION });
}

const duration = durationField(parseDuration, 'positive');
// jitter defaults to 0, so writing that default out must be accepted too.
const jitter = durationField(parseDurationOrZero, 'nonnegative');

const schedule = z.union([z.string(), z.record(z.string(), z.unknown())]).meta({
  description:
    'cron ("*/5 * * * *", 6 fields with seconds first), a macro ("@daily"), "@reboot" (at each daemon start), "@every 90s", an ISO instant, ' +
    'or an object: {"cron", "timezone"}, {"every", "unit"}, {"at", "timezone"}',
});

// Everything after the command in the SPEC table, shared by all three forms.
const commonFields = {
  args: z.array(z.unknown()).optional(),
  cwd: z.string().min(1).optional(),
  env: z.record(z.string(), z.string()).optional(),
  timeout: duration.optional(),
  killGrace: duration.optional(),
  onTimeout: command.optional(),
  onFailure: command.optional(),
  onSuccess: command.optional(),
  overlap: z.enum(['skip', 'queue', 'allow', 'replace']).optional(),
  retries: z.int().min(0).max(10).optional(),
  retryDelay: duration.optional(),
  maxRuns: z.int().min(1).optional(),
  jitter: jitter.optional(),
  catchUp: z.boolean().optional(),
  onLeaseLoss: z.enum(['stop', 'continue']).optional(),
  after: z.array(id).optional(),
  enabled: z.boolean().optional(),
  maxOutput: z.int().min(0).max(MAX_OUTPUT_BYTES).optional(),
  onInterrupted: z.enum(['record', 'resume']).optional(),
  maxResumes: z.int().min(0).max(MAX_RESUMES).optional(),
  $schema: z.string().optional(),
};

const description = z.string().optional();

/** The canonical job file (SPEC §2 field table). */
export const canonicalJobSchema = z
  .strictObject({ id: id.optional(), description, schedule: schedule.optional(), command, ...commonFields })
  .meta({ title: 'job' });

/** Compatible form A: top-level `interval` + `unit` instead of `schedule`. */
export const intervalJobSchema = z
  .strictObject({
    id: id.optional(),
    description,
    interval: z.int().min(1).max(1_000_000),
    unit: z.enum(['seconds', 'minutes', 'hours', 'days']),
    command,
    ...commonFields,
  })
  .meta({ title: 'job with interval and unit' });

/** Compatible form B: `job_id` + `schedule` + `task: {type: "execute_command", command}`. */
export const taskJobSchema = z
  .strictObject({
    job_id: id.optional(),
    description,
    schedule: schedule.optional(),
    task: z.strictObject({ type: z.literal('execute_command'), command }),
    ...commonFields,
  })
  .meta({ title: 'job with a task' });

/** The field names each form accepts, in the order of the SPEC table (for hints and messages). */
export const FORM_FIELDS: Record<JobForm, readonly string[]> = {
  canonical: Object.keys(canonicalJobSchema.shape),
  interval: Object.keys(intervalJobSchema.shape),
  task: Object.keys(taskJobSchema.shape),
};

/** Which form a file object is written in, decided before validation so messages speak of one form. */
export function pickJobForm(raw: Record<string, unknown>): JobForm {
  if (Object.hasOwn(raw, 'task') || Object.hasOwn(raw, 'job_id')) return 'task';
  if (Object.hasOwn(raw, 'interval') || Object.hasOwn(raw, 'unit')) return 'interval';
  return 'canonical';
}

/** The JSON Schema (draft 2020-12) of a job file, generated from the schemas the daemon validates with. */
export function jobJsonSchema(): object {
  const forms = z.union([canonicalJobSchema, intervalJobSchema, taskJobSchema]);
  const generated = z.toJSONSchema(forms, { io: 'input', target: 'draft-2020-12' });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'jobd job file',
    description: 'One job of jobd: when to run (schedule) and what to run (command).',
    ...rest,
  };
}
