import { applyJobFile, createRegistry, type Registry } from '../../../src/daemon/registry.js';
import type { Job, Loaded, Problem } from '../../../src/types.js';
import { makeJob } from '../builders.js';

export const A = '/srv/jobs.d/a.json';
export const B = '/srv/jobs.d/b.json';
export const C = '/srv/jobs.d/c.json';

/** The default job, read from `file`. */
export function jobAt(file: string, overrides: Partial<Job> = {}): Job {
  return makeJob({ file, command: { shell: 'pg_dump main' }, ...overrides });
}

export const valid = (job: Job): Loaded<Job> => ({ ok: true, value: job });
export const problem = (file: string, message = 'expected a cron expression'): Problem => ({ file, path: 'schedule', message });
export const invalid = (file: string): Loaded<Job> => ({ ok: false, problems: [problem(file)] });

/** A registry that has read each job's file, in order. */
export function registryWith(...jobs: Job[]): Registry {
  const registry = createRegistry();
  for (const job of jobs) applyJobFile(registry, job.file, valid(job));
  return registry;
}
