import type { JobRecord, RunningRecord, StateSnapshot } from '../types.js';
import { toSnapshot } from '../state/snapshot.js';
import type { DaemonContext } from './context.js';
import { jobState } from './job-records.js';
import { withoutSecrets } from './redact.js';
import { hasFile, jobById } from './registry.js';

/** The state document for this moment: records of files that exist, and the runs in progress. */
export function snapshotOf(ctx: DaemonContext): StateSnapshot {
  const now = Date.now();
  const runningByJob = new Map<string, number>();
  const running: RunningRecord[] = [];
  for (const { run, pid, startedAt } of ctx.running.values()) {
    runningByJob.set(run.job.id, (runningByJob.get(run.job.id) ?? 0) + 1);
    const scheduledAt = new Date(run.scheduledAt).toISOString();
    running.push({ run: run.id, job: run.job.id, pid, startedAt, trigger: run.trigger, scheduledAt });
  }
  const jobs: JobRecord[] = [];
  for (const record of ctx.records.values()) {
    if (!hasFile(ctx.registry, record.file)) continue;
    const job = jobById(ctx.registry, record.id);
    const state = job && job.file === record.file ? jobState(job, record, runningByJob.get(record.id) ?? 0, now) : 'invalid';
    // history is copied: the snapshot is written a slice at a time, while runs may still end.
    jobs.push({ ...record, definition: withoutSecrets(record.definition), history: [...record.history], state });
  }
  return toSnapshot(jobs, running, new Date(now));
}
