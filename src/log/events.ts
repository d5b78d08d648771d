import type { Logger } from 'pino';
import type { Problem, RunStatus, Trigger } from '../types.js';

type Level = 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** The fields each event carries; the log's contract with its readers (README: Logs). */
export interface EventFields {
  'daemon.start': {
    pid: number; version: string; jobsDir: string; stateFile: string; socket: string; metrics: string | null; jobs: number; invalid: number;
  };
  'daemon.stop': { signal: string | null; interrupted: number };
  'daemon.error': { message: string; path?: string };
  'job.loaded': { job: string; file: string; schedule: string | null; nextRunAt: string | null; state: string };
  'job.updated': { job: string; file: string; schedule: string | null; nextRunAt: string | null; timelineKept: boolean };
  'job.removed': { job: string; file: string };
  'job.invalid': { file: string; path: string; message: string; problems: Omit<Problem, 'file'>[]; keeping: string | null };
  'job.duplicate': { job: string; file: string; keptFile: string };
  'run.start': { job: string; run: string; trigger: Trigger; scheduledAt: string; pid: number | null; command: string; node?: string };
  'run.output': { job: string; run: string; stream: 'stdout' | 'stderr'; line: string };
  'run.end': {
    job: string; run: string; trigger: Trigger; status: Exclude<RunStatus, 'skipped'>; exitCode: number | null;
    signal: string | null; durationMs: number; command: string; error?: string; node?: string;
  };
  'run.timeout': { job: string; run: string; timeoutMs: number; elapsedMs: number; pid: number | null; signal: string };
  'run.skipped': { job: string; reason: string; scheduledAt: string; runningRun?: string; run?: string };
  'followup.error': { job: string; run: string; path?: string; message: string };
  'state.saved': { file: string; jobs: number; durationMs: number };
  'state.error': { file: string; message: string };
  'state.corrupt': { file: string; movedTo: string | null; reason: string };
  'cluster.joined': { node: string; schema: string; leaseMs: number };
  'cluster.unavailable': { node: string; message: string; nextReportInMs: number };
  'cluster.available': { node: string; downMs: number };
  'cluster.skipped': { job: string; trigger: Trigger; scheduledAt: string; node: string };
  'cluster.reaped': { job: string; run: string | null; node: string; scheduledAt: string };
  'cluster.fenced': { job: string; run: string; node: string; reason: string };
  'cluster.refused': { job: string; run: string; node: string; status: string };
  'cluster.diverged': { job: string; node: string; hash: string; published: string };
  'cluster.skew': { node: string; skewMs: number };
}

export type EventName = keyof EventFields;

const LEVEL: Record<EventName, Level> = {
  'daemon.start': 'info',
  'daemon.stop': 'info',
  'daemon.error': 'error',
  'job.loaded': 'info',
  'job.updated': 'info',
  'job.removed': 'info',
  'job.invalid': 'error',
  'job.duplicate': 'warn',
  'run.start': 'info',
  'run.output': 'info',
  'run.end': 'info',
  'run.timeout': 'warn',
  'run.skipped': 'warn',
  'followup.error': 'error',
  'state.saved': 'info',
  'state.error': 'error',
  'state.corrupt': 'error',
  'cluster.joined': 'info',
  'cluster.unavailable': 'error',
  'cluster.available': 'info',
  'cluster.skipped': 'debug',
  'cluster.reaped': 'warn',
  'cluster.fenced': 'error',
  'cluster.refused': 'warn',
  'cluster.diverged': 'warn',
  'cluster.skew': 'warn',
};

const MESSAGE: Record<EventName, string> = {
  'daemon.start': 'daemon started',
  'daemon.stop': 'daemon stopped',
  'daemon.error': 'daemon error',
  'job.loaded': 'job loaded',
  'job.updated': 'job updated',
  'job.removed': 'job removed',
  'job.invalid': 'job file invalid',
  'job.duplicate': 'duplicate job id',
  'run.start': 'run started',
  'run.output': 'run output',
  'run.end': 'run ended',
  'run.timeout': 'run timed out',
  'run.skipped': 'run skipped',
  'followup.error': 'follow-up failed',
  'state.saved': 'state saved',
  'state.error': 'state not saved',
  'state.corrupt': 'state file corrupt',
  'cluster.joined': 'joined the cluster',
  'cluster.unavailable': 'cluster database unavailable: nothing fires',
  'cluster.available': 'cluster database available again',
  'cluster.skipped': 'fire claimed by another node or not claimable',
  'cluster.reaped': 'expired lease reaped: run interrupted',
  'cluster.fenced': 'lease lost: run stopped',
  'cluster.refused': 'run result not written: lease lost or database unavailable',
  'cluster.diverged': 'job definition differs from the one the cluster holds',
  'cluster.skew': 'clock differs from the database by more than 1 s, or is back within it',
};

/** Writes one event line with its fields; the level and message come from the event's name. */
export function logEvent<E extends EventName>(logger: Logger, event: E, fields: EventFields[E]): void {
  const line: Record<string, unknown> = { event, ...fields };
  logger[LEVEL[event]](line, MESSAGE[event]);
}
