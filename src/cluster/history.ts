import type { RunResult, RunStatus, Trigger } from '../types.js';
import type { Database } from './connection.js';

interface HistoryRow {
  run: string | null; job: string; trigger: string; status: string; node: string; scheduled_at: Date; started_at: Date | null;
  claimed_at: Date; ended_at: Date | null; duration_ms: number | null; pid: number | null; exit_code: number | null; signal: string | null;
  error: string | null; stdout: string | null; stderr: string | null; attempt: number; resume_of: string | null; resume_count: number;
}

/** The job's last `limit` finished runs on every node, oldest first (like a record's history); null when the database did not answer. */
export async function readHistory(db: Database, S: string, job: string, limit: number): Promise<RunResult[] | null> {
  const rows = await db.query<HistoryRow>(
    `SELECT * FROM (
       SELECT run, job, trigger, status, node, scheduled_at, started_at, claimed_at, ended_at, duration_ms, pid, exit_code, signal,
              error, stdout, stderr, attempt, resume_of, resume_count
       FROM ${S}.jobd_runs WHERE job = $1 AND status <> 'running' ORDER BY claimed_at DESC LIMIT $2
     ) recent ORDER BY claimed_at`,
    [job, limit],
  );
  return rows === null ? null : rows.map(resultOf);
}

function resultOf(row: HistoryRow): RunResult {
  const startedAt = (row.started_at ?? row.claimed_at).toISOString();
  return {
    run: row.run ?? `${row.job}@${row.node}`,
    job: row.job,
    trigger: row.trigger as Trigger,
    status: row.status as Exclude<RunStatus, 'skipped'>,
    scheduledAt: row.scheduled_at.toISOString(),
    startedAt,
    endedAt: (row.ended_at ?? row.claimed_at).toISOString(),
    durationMs: row.duration_ms ?? 0,
    pid: row.pid,
    exitCode: row.exit_code,
    signal: row.signal,
    ...(row.error === null ? {} : { error: row.error }),
    stdout: row.stdout ?? '',
    stderr: row.stderr ?? '',
    ...(row.attempt > 0 ? { attempt: row.attempt } : {}),
    ...(row.resume_of === null ? {} : { resumeOf: row.resume_of, resumeCount: row.resume_count }),
    node: row.node,
  };
}
