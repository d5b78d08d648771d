import type { Job } from '../types.js';

/** What stands for an env value wherever a job leaves the daemon (state file, socket). */
export const HIDDEN = '(hidden)';

// Jobs are never changed once loaded, so one redacted copy (the job itself when it has no
// env) serves every save: the state file's writer then sees the same definition object
// and keeps its bytes.
const redacted = new WeakMap<Job, Job>();

/** The job with its env values replaced: they often hold secrets, and the keys are enough to read a record. */
export function withoutSecrets(job: Job | null): Job | null {
  if (job === null) return job;
  let copy = redacted.get(job);
  if (!copy) {
    const keys = Object.keys(job.env);
    copy = keys.length === 0 ? job : { ...job, env: Object.fromEntries(keys.map((key) => [key, HIDDEN])) };
    redacted.set(job, copy);
  }
  return copy;
}
