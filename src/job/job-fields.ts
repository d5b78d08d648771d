import type { z } from 'zod';
import { canonicalJobSchema, intervalJobSchema, taskJobSchema, type JobForm } from './schema.js';

/** A valid job file in canonical form, durations already in milliseconds, defaults not yet applied. */
export type JobFields = Omit<z.output<typeof canonicalJobSchema>, 'id' | 'schedule'>;

/** The fields of a file of any form, or zod's issues when the file does not fit its form. */
export type ParsedFields = { ok: true; fields: JobFields } | { ok: false; issues: z.core.$ZodIssue[] };

/**
 * Validates a file object against its form and rewrites a compatible form into canonical fields.
 * The id and the schedule are left out: normalizeJob reads them from the file itself, valid or not.
 */
export function parseJobFields(form: JobForm, raw: unknown): ParsedFields {
  if (form === 'interval') {
    const result = intervalJobSchema.safeParse(raw);
    if (!result.success) return { ok: false, issues: result.error.issues };
    const { interval, unit, ...rest } = result.data;
    return { ok: true, fields: rest };
  }
  if (form === 'task') {
    const result = taskJobSchema.safeParse(raw);
    if (!result.success) return { ok: false, issues: result.error.issues };
    const { job_id, task, ...rest } = result.data;
    return { ok: true, fields: { ...rest, command: task.command } };
  }
  const result = canonicalJobSchema.safeParse(raw);
  return result.success ? { ok: true, fields: result.data } : { ok: false, issues: result.error.issues };
}
