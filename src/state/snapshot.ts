import type { JobRecord, RunningRecord, StateSnapshot } from '../types.js';

/** The `jobs_state.json` document for these records (SPEC §8). */
export function toSnapshot(jobs: JobRecord[], running: RunningRecord[], savedAt: Date): StateSnapshot {
  return { version: 1, savedAt: savedAt.toISOString(), jobs, running };
}

/** Reads a state document, or says in words why it is not one. */
export function parseSnapshot(text: string): { ok: true; snapshot: StateSnapshot } | { ok: false; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON: ${(error as Error).message}` };
  }
  if (!isObject(data)) return { ok: false, reason: 'expected a JSON object' };
  if (data.version !== 1) return { ok: false, reason: `expected "version": 1, got ${JSON.stringify(data.version)}` };
  if (!Array.isArray(data.jobs)) return { ok: false, reason: 'expected "jobs" to be an array' };
  if (data.running !== undefined && !Array.isArray(data.running)) return { ok: false, reason: 'expected "running" to be an array' };
  const jobs: JobRecord[] = [];
  for (const [index, raw] of data.jobs.entries()) {
    const record = toJobRecord(raw);
    if (!record) return { ok: false, reason: `jobs.${index}: expected a job record with "id" and "runCount"` };
    jobs.push(record);
  }
  const running = ((data.running ?? []) as unknown[]).filter(isRunningRecord);
  const savedAt = typeof data.savedAt === 'string' ? data.savedAt : new Date(0).toISOString();
  return { ok: true, snapshot: { version: 1, savedAt, jobs, running } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function toJobRecord(raw: unknown): JobRecord | null {
  if (!isObject(raw) || typeof raw.id !== 'string' || typeof raw.runCount !== 'number') return null;
  const history = Array.isArray(raw.history) ? (raw.history as JobRecord['history']).filter(isObject) : [];
  return {
    id: raw.id,
    file: str(raw.file) ?? '',
    definition: isObject(raw.definition) ? (raw.definition as unknown as JobRecord['definition']) : null,
    state: (str(raw.state) ?? 'scheduled') as JobRecord['state'],
    nextRunAt: str(raw.nextRunAt),
    lastFireAt: str(raw.lastFireAt),
    lastStartedAt: str(raw.lastStartedAt),
    lastOkAt: str(raw.lastOkAt),
    runCount: raw.runCount,
    runSeq: typeof raw.runSeq === 'number' ? raw.runSeq : raw.runCount,
    paused: raw.paused === true,
    lastRun: isObject(raw.lastRun) ? (raw.lastRun as unknown as JobRecord['lastRun']) : null,
    history,
  };
}

function isRunningRecord(raw: unknown): raw is RunningRecord {
  return isObject(raw) && typeof raw.run === 'string' && typeof raw.job === 'string';
}
