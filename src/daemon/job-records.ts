import type { Job, JobRecord, JobState, RunRecord, RunResult, RunningRecord } from '../types.js';
import { awaitsResume } from './resume-plan.js';

/** Runs kept per job in the state file and shown by `GET /jobs/:id`. */
export const HISTORY_LIMIT = 20;

/** A fresh record for a job jobd has not seen before. */
export function newRecord(job: Job): JobRecord {
  return {
    id: job.id,
    file: job.file,
    definition: job,
    state: 'scheduled',
    nextRunAt: null,
    lastFireAt: null,
    lastStartedAt: null,
    lastOkAt: null,
    runCount: 0,
    runSeq: 0,
    paused: false,
    lastRun: null,
    history: [],
  };
}

/** Takes the next run id (`<job>-<n>`); ids never repeat, across restarts too. */
export function takeRunId(record: JobRecord): string {
  record.runSeq += 1;
  return `${record.id}-${record.runSeq}`;
}

/** Adds a finished (or skipped) run to the record. */
export function addRun(record: JobRecord, run: RunRecord): void {
  record.lastRun = run;
  if (run.status === 'ok') record.lastOkAt = run.endedAt;
  if (run.status !== 'skipped' && (record.lastStartedAt === null || run.startedAt > record.lastStartedAt)) {
    record.lastStartedAt = run.startedAt;
  }
  record.history.push(run);
  if (record.history.length > HISTORY_LIMIT) record.history.splice(0, record.history.length - HISTORY_LIMIT);
}

/** Whether the job has nothing left to do: its one-shot instant is past, or maxRuns is reached. */
export function isDone(job: Job, record: JobRecord, now: number): boolean {
  if (job.maxRuns !== null && record.runCount >= job.maxRuns) return true;
  if (job.schedule?.kind !== 'once' || awaitsResume(job, record)) return false;
  return record.lastFireAt !== null || Date.parse(job.schedule.at) <= now;
}

/** The job's lifecycle state (SPEC §8). */
export function jobState(job: Job, record: JobRecord, running: number, now: number): JobState {
  if (running > 0) return 'running';
  if (!job.enabled) return 'disabled';
  if (record.paused) return 'paused';
  return isDone(job, record, now) ? 'done' : 'scheduled';
}

/** The record of a run that was in progress when jobd stopped or died. */
export function interruptedRun(running: RunningRecord, endedAt: string): RunResult {
  const duration = Math.max(0, Date.parse(endedAt) - Date.parse(running.startedAt));
  return {
    run: running.run,
    job: running.job,
    trigger: running.trigger ?? 'schedule',
    status: 'interrupted',
    scheduledAt: running.scheduledAt ?? running.startedAt,
    startedAt: running.startedAt,
    endedAt,
    durationMs: Number.isFinite(duration) ? duration : 0,
    pid: running.pid,
    exitCode: null,
    signal: null,
    error: 'jobd stopped while the run was in progress',
    stdout: '',
    stderr: '',
    ...(running.resumeOf === undefined ? {} : { resumeOf: running.resumeOf }),
    ...(running.resumeCount === undefined ? {} : { resumeCount: running.resumeCount }),
  };
}
