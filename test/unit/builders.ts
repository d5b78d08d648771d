import { newRecord } from '../../src/daemon/job-records.js';
import type { Job, JobRecord } from '../../src/types.js';

/** A Job with every field at its documented default (SPEC §2), then `overrides`. */
export function makeJob(overrides: Partial<Job> = {}): Job {
  return {
    id: 'backup',
    file: '/srv/jobs.d/backup.json',
    schedule: { kind: 'interval', everyMs: 60_000 },
    command: { shell: 'true' },
    args: [],
    cwd: '/srv',
    env: {},
    timeoutMs: null,
    killGraceMs: 5_000,
    onTimeout: null,
    onFailure: null,
    onSuccess: null,
    overlap: 'skip',
    retries: 0,
    retryDelayMs: 10_000,
    maxRuns: null,
    jitterMs: 0,
    catchUp: false,
    after: [],
    enabled: true,
    maxOutput: 65_536,
    onInterrupted: 'record',
    maxResumes: 3,
    ...overrides,
  };
}

/** A record of a job jobd has not run yet, then `overrides`. */
export function makeRecord(overrides: Partial<JobRecord> = {}): JobRecord {
  return { ...newRecord(makeJob()), definition: null, ...overrides };
}
