import { resolve } from 'node:path';
import type { JobRecord, RunningRecord, StateSnapshot } from '../types.js';
import { toSnapshot } from '../state/snapshot.js';
import { entryBytes } from '../state/snapshot-bytes.js';
import { HISTORY_OUTPUT_BYTES, LAST_RUN_OUTPUT_BYTES, withOutputTail } from '../state/output-tail.js';
import type { DaemonContext } from './context.js';
import { jobState } from './job-records.js';
import { withoutSecrets } from './redact.js';
import { hasFile, jobById } from './registry.js';

// The entry each record had in the last snapshot. An entry that has not changed is
// handed out again, the same object, so the writer can reuse its bytes (see
// snapshot-bytes.ts): after a run ends, one job of 10,000 is serialized, not all.
const lastEntries = new WeakMap<JobRecord, JobRecord>();

/**
 * The state document for this moment: records of files that exist, and the runs in
 * progress. During start-up, records of files not read yet are kept as they were read:
 * a save then (runs restored as interrupted, a signal) must not drop them.
 */
export function snapshotOf(ctx: DaemonContext): StateSnapshot {
  const now = Date.now();
  const runningByJob = new Map<string, number>();
  const running: RunningRecord[] = [];
  for (const { run, pid, startedAt } of ctx.running.values()) {
    runningByJob.set(run.job.id, (runningByJob.get(run.job.id) ?? 0) + 1);
    const scheduledAt = new Date(run.scheduledAt).toISOString();
    const resume = run.resumeOf === undefined ? {} : { resumeOf: run.resumeOf, resumeCount: run.resumeCount ?? 1 };
    running.push({ run: run.id, job: run.job.id, pid, startedAt, trigger: run.trigger, scheduledAt, ...resume });
  }
  const jobs: JobRecord[] = [];
  for (const record of ctx.records.values()) {
    if (ctx.loading || hasFile(ctx.registry, record.file)) jobs.push(entryOf(ctx, record, runningByJob.get(record.id) ?? 0, now));
  }
  return toSnapshot({ jobs, running, savedAt: new Date(now), jobsDir: resolve(ctx.config.jobsDir) });
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
  const read = hasFile(ctx.registry, record.file);
  const state = job && job.file === record.file ? jobState(job, record, runningRuns, now) : read ? 'invalid' : record.state;
  const fresh: Fresh = { definition: withoutSecrets(record.definition), state, lastRun: withOutputTail(record.lastRun, LAST_RUN_OUTPUT_BYTES) };
  const last = lastEntries.get(record);
  if (last && sameEntry(last, record, fresh)) return last;
  // history is copied: the snapshot is written a slice at a time, while runs may still end.
  const entry = { ...record, ...fresh, history: record.history.map(historyEntry) };
  lastEntries.set(record, entry);
  return entry;
}

/** The entry's fields that are not the record's own values. */
type Fresh = Pick<JobRecord, 'definition' | 'state' | 'lastRun'>;

const historyEntry = (run: JobRecord['history'][number]): JobRecord['history'][number] => withOutputTail(run, HISTORY_OUTPUT_BYTES);

// Field by field, arrays (history, problems) element by element: records are changed by
// replacing values, and runs and definitions are never changed once made. Compared with
// the record itself, so an unchanged job costs no new entry.
function sameEntry(last: JobRecord, record: JobRecord, fresh: Fresh): boolean {
  // for…in rather than Object.keys: no two new arrays per job on every save.
  let fields = 0;
  for (const key in record) {
    fields += 1;
    const x = last[key as keyof JobRecord];
    const y = key in fresh ? fresh[key as keyof Fresh] : record[key as keyof JobRecord];
    if (x === y) continue;
    if (key === 'history' ? !sameHistory(last.history, record.history) : !sameItems(x, y)) return false;
  }
  for (const _ in last) fields -= 1;
  return fields === 0;
}

function sameHistory(entry: JobRecord['history'], history: JobRecord['history']): boolean {
  return entry.length === history.length && entry.every((item, i) => item === historyEntry(history[i]!));
}

function sameItems(x: unknown, y: unknown): boolean {
  return Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((item, i) => item === y[i]);
}
