import type { Job } from '../types.js';

/** What stands for an env value wherever a job leaves the daemon (state file, socket). */
export const HIDDEN = '(hidden)';

/** The job with its env values replaced: they often hold secrets, and the keys are enough to read a record. */
export function withoutSecrets(job: Job | null): Job | null {
  if (job === null || Object.keys(job.env).length === 0) return job;
  return { ...job, env: Object.fromEntries(Object.keys(job.env).map((key) => [key, HIDDEN])) };
}
