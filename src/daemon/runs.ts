import type { Fire, FireDecision, MissedFires, Run, RunResult } from '../types.js';
import { logEvent } from '../log/events.js';
import type { HookObserver } from '../run/follow-up.js';
import { runResultHook } from '../run/run-hook.js';
import { runJob } from '../run/run-job.js';
import { commandText } from '../run/command-words.js';
import type { ActiveRun, DaemonContext } from './context.js';
import { dependentsReady } from './after.js';
import { prepareCheckpoint, settleCheckpoint } from './checkpoint-runs.js';
import { addRun, takeRunId } from './job-records.js';
import { jobById } from './registry.js';

/** Starts a run for a fire the policies let through, and records how it ends. */
export function launchRun(ctx: DaemonContext, fire: Fire): void {
  const job = jobById(ctx.registry, fire.jobId);
  const record = ctx.records.get(fire.jobId);
  // A claim answered after shutdown began, or for a job removed meanwhile, starts nothing.
  if (!job || !record || ctx.stopping) {
    ctx.cluster?.abandon(fire);
    return;
  }
  const node = ctx.cluster?.nodeId;
  const run: Run = {
    id: fire.runId ?? takeRunId(record), job, trigger: fire.trigger, scheduledAt: fire.scheduledAt, retryOf: fire.retryOf, attempt: fire.attempt, instance: ctx.instance,
    checkpoint: ctx.checkpoints.pathOf(job.id),
    ...(node === undefined ? {} : { node }),
    ...(fire.resumeOf === undefined ? {} : { resumeOf: fire.resumeOf, resumeCount: fire.resumeCount ?? 1 }),
  };
  record.runCount += 1;
  // maxRuns counts starts, so the last allowed start ends the job's timeline.
  if (job.maxRuns !== null && record.runCount >= job.maxRuns) ctx.scheduler.unplan(job.id);
  reportIfLate(ctx, fire, run.id);
  const command = commandText(job.command, []);
  const active: ActiveRun = { run, handle: null, startedAt: new Date().toISOString(), pid: null };
  record.lastStartedAt = active.startedAt;
  let announced = false;
  const announce = (pid: number | null): void => {
    if (announced) return;
    announced = true;
    active.pid = pid;
    const scheduledAt = new Date(run.scheduledAt).toISOString();
    const resumeOf = run.resumeOf === undefined ? {} : { resumeOf: run.resumeOf };
    const retry = run.retryOf === undefined ? {} : { retryOf: run.retryOf, attempt: run.attempt ?? 1 };
    logEvent(ctx.logger, 'run.start', {
      job: job.id, run: run.id, trigger: run.trigger, scheduledAt, pid, command, args: job.args, ...nodeField(run), ...resumeOf, ...retry,
    });
    ctx.cluster?.started(fire, run.id, { pid, startedAt: active.startedAt });
  };
  ctx.running.set(run.id, active);
  const handle = runJob(run, {
    spawner: ctx.spawner,
    followUpLog: ctx.config.followUpLog,
    beforeSpawn: prepareCheckpoint(ctx, job.id),
    observer: {
      onStart: announce,
      onOutput: (o) =>
        logEvent(ctx.logger, 'run.output', { job: job.id, run: run.id, stream: o.stream, line: o.line, ...(o.truncated ? { truncated: true } : {}) }),
      onOutputDropped: (d) => logEvent(ctx.logger, 'run.output.dropped', { job: job.id, run: run.id, dropped: d.stdout + d.stderr, ...d }),
      onTimeout: (r) =>
        logEvent(ctx.logger, 'run.timeout', { job: job.id, run: run.id, timeoutMs: r.timeoutMs, elapsedMs: r.elapsedMs, pid: r.pid, signal: r.signal }),
      onFollowUpError: (e) => logEvent(ctx.logger, 'followup.error', { job: job.id, run: run.id, ...e }),
      ...hookLogger(ctx, run),
    },
  });
  active.handle = handle;
  ctx.launchWatchers.get(fire)?.(run.id, handle.result);
  ctx.store.saveSoon();
  void handle.result.then((result) => {
    announce(null);
    finishRun(ctx, run, result, { command, args: job.args });
  });
}

function finishRun(ctx: DaemonContext, started: Run, result: RunResult, shown: { command: string; args: string[] }): void {
  ctx.running.delete(result.run);
  const record = ctx.records.get(result.job);
  if (record) addRun(record, result);
  settleCheckpoint(ctx, result);
  ctx.cluster?.ended(result);
  const { job, run, trigger, status, exitCode, signal, durationMs, error, escaped } = result;
  const extra = { ...(error ? { error } : {}), ...(escaped ? { escaped } : {}) };
  // Decided before run.end is logged, so the line can say a retry follows (`jobd run --wait` waits for it).
  const retryAt = ctx.stopping ? null : retryIfFailed(ctx, result);
  const retry = retryAt === null ? {} : { retryAt: new Date(retryAt).toISOString() };
  logEvent(ctx.logger, 'run.end', { job, run, trigger, status, exitCode, signal, durationMs, ...shown, ...extra, ...nodeField(started), ...retry });
  ctx.store.saveSoon();
  if (ctx.stopping) return;
  ctx.scheduler.runEnded(result.job);
  const retrying = retryAt !== null;
  const hook = result.status === 'ok' ? 'onSuccess' : (result.status === 'failed' && !retrying) || result.status === 'timeout' ? 'onFailure' : null;
  if (hook) {
    void runResultHook(ctx.spawner, started, result, hook, hookLogger(ctx, started)).then((problem) => {
      if (problem) logEvent(ctx.logger, 'followup.error', { job: result.job, run: result.run, message: problem });
    });
  }
  if (result.status === 'ok') {
    const scheduledAt = Date.now();
    for (const jobId of dependentsReady(ctx.registry, ctx.records, result.job)) ctx.scheduler.submit({ jobId, trigger: 'after', scheduledAt });
  }
}

// A hook's lines and end in the log, named by the hook and the run it follows.
function hookLogger(ctx: DaemonContext, run: Run): Required<HookObserver> {
  const ids = { job: run.job.id, run: run.id };
  return {
    onHookOutput: (hook, o) =>
      logEvent(ctx.logger, 'hook.output', { hook, ...ids, stream: o.stream, line: o.line, ...(o.truncated ? { truncated: true } : {}) }),
    onHookEnd: (hook, end) => logEvent(ctx.logger, 'hook.end', { hook, ...ids, ...end }),
  };
}

// A failed run (not a timeout or a cancel) is retried with a doubling delay; returns when, or null.
function retryIfFailed(ctx: DaemonContext, result: RunResult): number | null {
  const job = jobById(ctx.registry, result.job);
  if (!job || result.status !== 'failed') return null;
  const attempt = (result.attempt ?? 0) + 1;
  if (attempt > job.retries) return null;
  const at = Date.now() + job.retryDelayMs * 2 ** (attempt - 1);
  ctx.scheduler.later({ jobId: job.id, trigger: 'retry', scheduledAt: at, retryOf: result.retryOf ?? result.run, attempt }, at);
  return at;
}

/** A start this much after its instant (jitter aside) is late, and says so. */
const LATE_AFTER_MS = 1_000;

// A catch-up run is late by the downtime it makes up for; its trigger already says so.
function reportIfLate(ctx: DaemonContext, fire: Fire, run: string): void {
  const lateMs = Date.now() - (fire.dueAt ?? fire.scheduledAt);
  if (lateMs <= LATE_AFTER_MS || fire.trigger === 'catchup') return;
  const scheduledAt = new Date(fire.scheduledAt).toISOString();
  logEvent(ctx.logger, 'run.late', { job: fire.jobId, run, trigger: fire.trigger, scheduledAt, lateMs, reason: fire.heldBy ?? 'stall' });
}

/** Logs the fires of a job that the loop stepped over (`run.missed`). */
export function logMissedFires(ctx: DaemonContext, job: string, fires: MissedFires): void {
  const { count, truncated } = fires;
  const [first, last] = [fires.first, fires.last].map((at) => new Date(at).toISOString()) as [string, string];
  logEvent(ctx.logger, 'run.missed', { job, count, first, last, ...(truncated ? { truncated } : {}) });
}

function nodeField(run: Run): { node?: string } {
  return run.node === undefined ? {} : { node: run.node };
}

/** Records a fire the policies dropped (SPEC §6 `skipped`). */
export function recordSkip(ctx: DaemonContext, fire: Fire, decision: Extract<FireDecision, { action: 'skip' }>): void {
  const record = ctx.records.get(fire.jobId);
  if (!record) return;
  const scheduledAt = new Date(fire.scheduledAt).toISOString();
  const runningRun = decision.runningRun;
  if (decision.reason === 'overlap') {
    const run = takeRunId(record);
    addRun(record, { run, job: fire.jobId, trigger: fire.trigger, status: 'skipped', scheduledAt, reason: 'overlap' });
    ctx.store.saveSoon();
    logEvent(ctx.logger, 'run.skipped', { job: fire.jobId, run, reason: 'overlap', scheduledAt, ...(runningRun ? { runningRun } : {}) });
    return;
  }
  logEvent(ctx.logger, 'run.skipped', { job: fire.jobId, reason: decision.reason, scheduledAt });
}

/** Asks runs to stop (cancel, replace); their results arrive through the usual path. */
export function stopRuns(ctx: DaemonContext, runIds: string[], status: 'cancelled' | 'interrupted'): void {
  for (const id of runIds) ctx.running.get(id)?.handle?.stop(status);
}
