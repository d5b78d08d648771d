import type { Job, JobRecord, JobState, RunningRecord, StateSnapshot } from '../types.js';
import { toSnapshot } from '../state/snapshot.js';
import { entryBytes } from '../state/snapshot-bytes.js';
import type { DaemonContext } from './context.js';
import { jobState } from './job-records.js';
import { withoutSecrets } from './redact.js';
import { hasFile, jobById } from './registry.js';

// The entry each record had in the last snapshot. An entry that has not changed is
// handed out again, the same object, so the writer can reuse its bytes (see
// snapshot-bytes.ts): after a run ends, one job of 10,000 is serialized, not all.
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
    if (hasFile(ctx.registry, record.file)) jobs.push(entryOf(ctx, record, runningByJob.get(record.id) ?? 0, now));
    // A save during the start-up load (a SIGTERM) keeps the records of files not read yet as they were.
    else if (ctx.loading) jobs.push(record);
  }
  return toSnapshot(jobs, running, new Date(now));
}

/**
 * Serializes these jobs' state-file entries now, so the next save finds them made.
 * The initial load calls this slice by slice: the first save after loading 10,000 jobs
 * then copies bytes instead of serializing megabytes in one go.
 */
export function prepareEntries(ctx: DaemonContext, ids: Iterable<string>): void {
  const now = Date.now();
  for (const id of ids) {
    const record = ctx.records.get(id);
    if (record && hasFile(ctx.registry, record.file)) entryBytes(entryOf(ctx, record, 0, now));
  }
}

/** The record's entry in the state file: the last one handed out if nothing in it changed. */
function entryOf(ctx: DaemonContext, record: JobRecord, runningRuns: number, now: number): JobRecord {
  const job = jobById(ctx.registry, record.id);
  const state = job && job.file === record.file ? jobState(job, record, runningRuns, now) : 'invalid';
  const definition = withoutSecrets(record.definition);
  const last = lastEntries.get(record);
  if (last && sameEntry(last, record, definition, state)) return last;
  // history is copied: the snapshot is written a slice at a time, while runs may still end.
  const entry = { ...record, definition, history: [...record.history], state };
  lastEntries.set(record, entry);
  return entry;
}

// Field by field, arrays (history, problems) element by element: records are changed by
// replacing values, and runs and definitions are never changed once made. Compared with
// the record itself, so an unchanged job costs no new object.
function sameEntry(last: JobRecord, record: JobRecord, definition: Job | null, state: JobState): boolean {
  // for…in rather than Object.keys: no two new arrays per job on every save.
  let fields = 0;
  for (const key in record) {
    fields += 1;
    const x = last[key as keyof JobRecord];
    const y = key === 'definition' ? definition : key === 'state' ? state : record[key as keyof JobRecord];
    if (x !== y && !sameItems(x, y)) return false;
  }
  for (const _ in last) fields -= 1;
  return fields === 0;
}

function sameItems(x: unknown, y: unknown): boolean {
  return Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((item, i) => item === y[i]);
}
