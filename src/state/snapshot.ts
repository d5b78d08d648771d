import type { JobRecord, RunningRecord, StateSnapshot } from '../types.js';
import { documentShape } from './record-shapes.js';
import { isPlainObject } from './shape.js';

/** The `jobs_state.json` document for these records (SPEC §8), and the jobs directory they belong to. */
export function toSnapshot(input: { jobs: JobRecord[]; running: RunningRecord[]; savedAt: Date; jobsDir?: string }): StateSnapshot {
  const { jobs, running, savedAt, jobsDir } = input;
  return { version: 1, savedAt: savedAt.toISOString(), ...(jobsDir === undefined ? {} : { jobsDir }), jobs, running };
}

/**
 * Reads a state document, or says in words why it is not one. Every record is checked
 * whole (the type of every field, sizes and counts, and the nesting of fields jobd does
 * not know) before any is used,
 * so nothing after start-up meets a malformed record; one wrong field refuses the file.
 */
export function parseSnapshot(text: string): { ok: true; snapshot: StateSnapshot } | { ok: false; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON: ${(error as Error).message}` };
  }
  if (!isPlainObject(data)) return { ok: false, reason: 'expected a JSON object' };
  const problem = documentShape(data, '');
  if (problem) return { ok: false, reason: problem };
  const jobs = (data.jobs as Record<string, unknown>[]).map(toJobRecord);
  const running = ((data.running ?? []) as Record<string, unknown>[]).map(toRunningRecord);
  const savedAt = (data.savedAt as string | undefined) ?? new Date(0).toISOString();
  const jobsDir = data.jobsDir as string | undefined;
  return { ok: true, snapshot: { version: 1, savedAt, ...(jobsDir === undefined ? {} : { jobsDir }), jobs, running } };
}

// The shape is checked; what is left is filling in the fields a record may leave out.
function toJobRecord(raw: Record<string, unknown>): JobRecord {
  const record = raw as Partial<JobRecord> & Pick<JobRecord, 'id' | 'runCount'>;
  return {
    id: record.id,
    file: record.file ?? '',
    definition: record.definition ?? null,
    state: record.state ?? 'scheduled',
    nextRunAt: record.nextRunAt ?? null,
    lastFireAt: record.lastFireAt ?? null,
    lastStartedAt: record.lastStartedAt ?? null,
    lastOkAt: record.lastOkAt ?? null,
    runCount: record.runCount,
    runSeq: record.runSeq ?? record.runCount,
    paused: record.paused ?? false,
    lastRun: record.lastRun ?? null,
    history: record.history ?? [],
  };
}

function toRunningRecord(raw: Record<string, unknown>): RunningRecord {
  const record = raw as Partial<RunningRecord> & Pick<RunningRecord, 'run' | 'job' | 'startedAt'>;
  return { ...record, pid: record.pid ?? null, trigger: record.trigger ?? 'schedule', scheduledAt: record.scheduledAt ?? record.startedAt };
}
