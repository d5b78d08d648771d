import type { Run, RunResult } from '../types.js';

/** How a run ended, before it is put into the shape of a RunResult. */
export interface RunEnding {
  status: RunResult['status'];
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  pid: number | null;
  exitCode: number | null;
  signal: string | null;
  problems: string[];
  tails: { stdout: string; stderr: string };
  escaped?: number;
}

/** The RunResult of a run that ended as `ending` says. */
export function buildRunResult(run: Run, ending: RunEnding): RunResult {
  return {
    run: run.id,
    job: run.job.id,
    trigger: run.trigger,
    status: ending.status,
    scheduledAt: toIso(run.scheduledAt),
    startedAt: ending.startedAt.toISOString(),
    endedAt: ending.endedAt.toISOString(),
    durationMs: ending.durationMs,
    pid: ending.pid,
    exitCode: ending.exitCode,
    signal: ending.signal,
    ...(ending.problems.length > 0 ? { error: ending.problems.join('; ') } : {}),
    stdout: ending.tails.stdout,
    stderr: ending.tails.stderr,
    ...(run.retryOf !== undefined ? { retryOf: run.retryOf } : {}),
    ...(run.attempt !== undefined ? { attempt: run.attempt } : {}),
    ...(run.resumeOf !== undefined ? { resumeOf: run.resumeOf, resumeCount: run.resumeCount ?? 1 } : {}),
    ...(ending.escaped ? { escaped: ending.escaped } : {}),
  };
}

/** An epoch-ms instant as ISO 8601; an impossible one as an empty string rather than a RangeError. */
export function toIso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}
