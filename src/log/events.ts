import type { Logger } from 'pino';
import type { HookEnd, HookName, Problem, RunStatus, Trigger } from '../types.js';

type Level = 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** The fields each event carries; the log's contract with its readers (README: Logs). */
export interface EventFields {
  'daemon.start': {
    pid: number; version: string; jobsDir: string; stateFile: string; socket: string; metrics: string | null; http: string | null; jobs: number; invalid: number;
  };
  'daemon.stop': { signal: string | null; interrupted: number };
  'daemon.error': { message: string; path?: string };
  'daemon.signal': { signal: string; action: 'ignored'; count: number };
  'watch.lost': { path: string; reason: string };
  'watch.restored': { path: string };
  'job.loaded': { job: string; file: string; schedule: string | null; nextRunAt: string | null; state: string };
  'job.updated': { job: string; file: string; schedule: string | null; nextRunAt: string | null; timelineKept: boolean };
  'job.removed': { job: string; file: string };
  'job.invalid': { file: string; path: string; message: string; problems: Omit<Problem, 'file'>[]; keeping: string | null };
  'job.duplicate': { job: string; file: string; keptFile: string };
  'job.warning': { file: string; path: string; message: string };
  /** `command` is the shell text or argv alone; `args` are what it gets as `$1…` or extra argv. */
  'run.start': {
    job: string; run: string; trigger: Trigger; scheduledAt: string; pid: number | null; command: string; args: string[]; node?: string; resumeOf?: string;
    retryOf?: string; attempt?: number;
  };
  'run.output': { job: string; run: string; stream: 'stdout' | 'stderr'; line: string; truncated?: boolean };
  'run.output.dropped': { job: string; run: string; dropped: number; stdout: number; stderr: number };
  'run.end': {
    job: string; run: string; trigger: Trigger; status: Exclude<RunStatus, 'skipped'>; exitCode: number | null;
    signal: string | null; durationMs: number; command: string; args?: string[]; error?: string; escaped?: number; orphansStopped?: number; node?: string;
    /** A failed run that will be retried: when. */
    retryAt?: string;
  };
  'run.timeout': { job: string; run: string; timeoutMs: number; elapsedMs: number; pid: number | null; signal: string };
  'run.skipped': { job: string; reason: string; scheduledAt: string; runningRun?: string; run?: string };
  'run.late': { job: string; run: string; trigger: Trigger; scheduledAt: string; lateMs: number; reason: 'stall' | 'concurrency' | 'overlap' };
  'run.missed': { job: string; count: number; first: string; last: string; truncated?: true };
  'followup.error': { job: string; run: string; path?: string; message: string };
  'state.saved': { file: string; jobs: number; durationMs: number };
  'state.error': { file: string; message: string };
  'state.corrupt': { file: string; movedTo: string | null; reason: string };
  /** The state file was last saved by a daemon watching `savedJobsDir`; this one watches `jobsDir`. */
  'state.other_jobs_dir': { file: string; jobsDir: string; savedJobsDir: string };
  'control.dropped': { reason: string };
  'cluster.joined': { node: string; schema: string; leaseMs: number };
  'cluster.unavailable': { node: string; message: string; nextReportInMs: number };
  'cluster.available': { node: string; downMs: number };
  'cluster.skipped': { job: string; trigger: Trigger; scheduledAt: string; node: string };
  'cluster.reaped': { job: string; run: string | null; node: string; scheduledAt: string };
  'cluster.fenced': { job: string; run: string; node: string; reason: string };
  'cluster.kept': { job: string; run: string; node: string; reason: string };
  'cluster.refused': { job: string; run: string; node: string; status: string };
  'cluster.diverged': { job: string; node: string; hash: string; published: string };
  'cluster.skew': { node: string; skewMs: number };
  'job.paused': { job: string; running: string[] };
  'job.resumed': { job: string; nextRunAt: string | null };
  'run.requested': { job: string; run: string | null };
  'run.cancel': { job: string; runs: string[] };
  'log.reopened': { file: string | null };
  'daemon.resume': {
    count: number; runs: Array<{ job: string; run: string; resumeOf: string }>;
    held: Array<{ job: string; run: string; reason: 'maxResumes' | 'maxRuns' | 'paused' | 'disabled' }>;
  };
  'checkpoint.too_large': { job: string; run: string; path: string; bytes: number; maxBytes: number };
  'checkpoint.error': { job: string; path: string; message: string };
  'daemon.stopping': { signal: string; runs: string[]; graceMs: number };
  'hook.output': { hook: HookName; job: string; run: string; stream: 'stdout' | 'stderr'; line: string; truncated?: boolean };
  'hook.end': { hook: HookName; job: string; run: string } & HookEnd;
}

export type EventName = keyof EventFields;

// Mostly one level per event; a function where the facts decide (a failed run is not news like an ok one).
const LEVEL: { [E in EventName]: Level | ((fields: EventFields[E]) => Level) } = {
  'daemon.start': 'info',
  'daemon.stop': 'info',
  'daemon.error': 'error',
  'daemon.signal': 'warn',
  'watch.lost': 'error',
  'watch.restored': 'info',
  'job.loaded': 'info',
  'job.updated': 'info',
  'job.removed': 'info',
  'job.invalid': 'error',
  'job.duplicate': 'warn',
  'job.warning': 'warn',
  'run.start': 'info',
  'run.output': 'info',
  'run.output.dropped': 'warn',
  'run.end': ({ status }) => (status === 'ok' || status === 'cancelled' ? 'info' : 'warn'),
  'run.timeout': 'warn',
  'run.skipped': 'warn',
  'run.late': 'warn',
  'run.missed': 'warn',
  'followup.error': 'error',
  'state.saved': 'debug',
  'state.error': 'error',
  'state.corrupt': 'error',
  'state.other_jobs_dir': 'warn',
  'control.dropped': 'warn',
  'cluster.joined': 'info',
  'cluster.unavailable': 'error',
  'cluster.available': 'info',
  'cluster.skipped': 'debug',
  'cluster.reaped': 'warn',
  'cluster.fenced': 'error',
  'cluster.kept': 'warn',
  'cluster.refused': 'warn',
  'cluster.diverged': 'warn',
  'cluster.skew': 'warn',
  'job.paused': 'info',
  'job.resumed': 'info',
  'run.requested': 'info',
  'run.cancel': 'info',
  'log.reopened': 'info',
  'daemon.resume': 'info',
  'checkpoint.too_large': 'warn',
  'checkpoint.error': 'error',
  'daemon.stopping': 'info',
  'hook.output': 'info',
  'hook.end': ({ exitCode, error }) => (exitCode === 0 && error === undefined ? 'info' : 'warn'),
};

const MESSAGE: Record<EventName, string> = {
  'daemon.start': 'daemon started',
  'daemon.stop': 'daemon stopped',
  'daemon.error': 'daemon error',
  'daemon.signal': 'signal ignored',
  'watch.lost': 'jobs directory lost',
  'watch.restored': 'jobs directory watched again',
  'job.loaded': 'job loaded',
  'job.updated': 'job updated',
  'job.removed': 'job removed',
  'job.invalid': 'job file invalid',
  'job.duplicate': 'duplicate job id',
  'job.warning': 'job file accepted with a warning',
  'run.start': 'run started',
  'run.output': 'run output',
  'run.output.dropped': 'run output not logged',
  'run.end': 'run ended',
  'run.timeout': 'run timed out',
  'run.skipped': 'run skipped',
  'run.late': 'run started late',
  'run.missed': 'fires missed',
  'followup.error': 'follow-up failed',
  'state.saved': 'state saved',
  'state.error': 'state not saved',
  'state.corrupt': 'state file corrupt',
  'state.other_jobs_dir': 'state file was saved for another jobs directory: its job ids share run counters and history with this one',
  'control.dropped': 'events subscriber dropped',
  'cluster.joined': 'joined the cluster',
  'cluster.unavailable': 'cluster database unavailable: nothing fires',
  'cluster.available': 'cluster database available again',
  'cluster.skipped': 'fire claimed by another node or not claimable',
  'cluster.reaped': 'expired lease reaped: run interrupted',
  'cluster.fenced': 'lease lost: run stopped',
  'cluster.kept': 'lease lost: run kept going (onLeaseLoss continue); its result will be refused once another node reaps it',
  'cluster.refused': 'run result not written: lease lost or database unavailable',
  'cluster.diverged': 'job definition differs from the one the cluster holds',
  'cluster.skew': 'clock differs from the database by more than 1 s, or is back within it',
  'job.paused': 'job paused',
  'job.resumed': 'job resumed',
  'run.requested': 'run requested',
  'run.cancel': 'run cancel requested',
  'log.reopened': 'log file reopened',
  'daemon.resume': 'resuming interrupted runs',
  'checkpoint.too_large': 'checkpoint larger than its bound: not kept',
  'checkpoint.error': 'checkpoint file not usable',
  'daemon.stopping': 'stopping: waiting for runs, then stopping them',
  'hook.output': 'hook output',
  'hook.end': 'hook ended',
};

/** Writes one event line with its fields; the level and message come from the event's name (a few levels from its fields too). */
export function logEvent<E extends EventName>(logger: Logger, event: E, fields: EventFields[E]): void {
  const line: Record<string, unknown> = { event, ...fields };
  const level = LEVEL[event] as Level | ((fields: EventFields[E]) => Level);
  logger[typeof level === 'function' ? level(fields) : level](line, MESSAGE[event]);
}
