import type { JobRecord, RunningRecord, StateSnapshot } from '../types.js';
import { toSnapshot } from '../state/snapshot.js';
import type { DaemonContext } from './context.js';
import { jobState } from './job-records.js';
import { withoutSecrets } from './redact.js';
import { hasFile, jobById } from './registry.js';

// The entry each record had in the last snapshot. An entry that has not changed is
// handed out again, the same object, so the writer can reuse its text (see
// stringify-snapshot.ts): after a run ends, one job of 10,000 is stringified, not all.
const lastEntries = new WeakMap<JobRecord, JobRecord>();

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
    const entry = { ...record, definition: withoutSecrets(record.definition), history: [...record.history], state };
    const last = lastEntries.get(record);
    if (last && sameEntry(last, entry)) {
      jobs.push(last);
    } else {
      lastEntries.set(record, entry);
      jobs.push(entry);
    }
  }
  return toSnapshot(jobs, running, new Date(now));
}

// Field by field, arrays (history, problems) element by element: records are changed by
// replacing values, and runs and definitions are never changed once made.
function sameEntry(a: JobRecord, b: JobRecord): boolean {
  const keys = Object.keys(b) as (keyof JobRecord)[];
  if (Object.keys(a).length !== keys.length) return false;
  return keys.every((key) => {
    const x = a[key];
    const y = b[key];
    if (x === y) return true;
    return Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((item, i) => item === y[i]);
  });
}
