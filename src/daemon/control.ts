import { basename } from 'node:path';
import type { ControlAnswer, ControlOutcome, DaemonControl, DaemonStatus, Fire, JobState, JobStatus, Problem, RunRecord, RunResult } from '../types.js';
import { logEvent } from '../log/events.js';
import { describeSchedule } from '../schedule/describe-schedule.js';
import { scheduleInWords } from '../schedule/schedule-words.js';
import { cancelEverywhere, pauseEverywhere, refuseUnclaimable, withClusterHistory } from './cluster-control.js';
import type { DaemonContext } from './context.js';
import { jobState } from './job-records.js';
import { withoutSecrets } from './redact.js';
import { activeJobs, invalidFiles, jobById } from './registry.js';
import { stopRuns } from './runs.js';

// The checkpoint is looked at (one lstat) only when one job is asked for, never for the table.
async function withCheckpoint<T extends object>(ctx: DaemonContext, id: string, answer: ControlAnswer<T>) {
  const outcome = await answer;
  if (!outcome.ok) return outcome;
  return { ok: true as const, value: { ...outcome.value, checkpoint: await ctx.checkpoints.stat(id) } };
}

/** What every job's status needs, gathered in one pass so a status of many jobs stays linear. */
interface StatusIndex {
  runningByJob: Map<string, string[]>;
  problemsByFile: Map<string, Problem[]>;
  now: number;
}

function statusIndex(ctx: DaemonContext): StatusIndex {
  const runningByJob = new Map<string, string[]>();
  for (const { run } of ctx.running.values()) {
    const ids = runningByJob.get(run.job.id);
    if (ids) ids.push(run.id);
    else runningByJob.set(run.job.id, [run.id]);
  }
  const problemsByFile = new Map<string, Problem[]>();
  for (const problem of invalidFiles(ctx.registry)) {
    const problems = problemsByFile.get(problem.file);
    if (problems) problems.push(problem);
    else problemsByFile.set(problem.file, [problem]);
  }
  return { runningByJob, problemsByFile, now: Date.now() };
}

function statusOf(ctx: DaemonContext, index: StatusIndex, id: string): JobStatus | null {
  const job = jobById(ctx.registry, id);
  const record = ctx.records.get(id);
  if (!job || !record) return null;
  const running = index.runningByJob.get(id) ?? [];
  const problems = index.problemsByFile.get(job.file);
  return {
    id, file: job.file, state: jobState(job, record, running.length, index.now),
    schedule: job.schedule ? describeSchedule(job.schedule) : null,
    scheduleWords: job.schedule ? scheduleInWords(job.schedule) : null,
    nextRunAt: record.nextRunAt, lastRun: record.lastRun, runCount: record.runCount, running,
    ...(problems ? { problems } : {}),
  };
}

function activeStatuses(ctx: DaemonContext, index: StatusIndex): JobStatus[] {
  const statuses: JobStatus[] = [];
  for (const job of activeJobs(ctx.registry)) {
    const status = statusOf(ctx, index, job.id);
    if (status) statuses.push(status);
  }
  return statuses;
}

/** The daemon as the control socket sees it (SPEC §10). */
export function createControl(ctx: DaemonContext, events: Pick<DaemonControl, 'subscribe' | 'recentEvents'>): DaemonControl {
  const runningOf = (id: string): string[] => statusIndex(ctx).runningByJob.get(id) ?? [];
  const found = (id: string): ControlOutcome<JobStatus> => {
    const status = statusOf(ctx, statusIndex(ctx), id);
    return status ? { ok: true, value: status } : { ok: false, status: 404, error: `no job with id "${id}"` };
  };

  return {
    status: () => daemonStatus(ctx, statusIndex(ctx)),
    jobs: () => {
      const index = statusIndex(ctx);
      return [...activeStatuses(ctx, index), ...invalidOnly(ctx, index)];
    },
    knows: (id) => jobById(ctx.registry, id) !== undefined && ctx.records.has(id),
    job(id) {
      const status = found(id);
      if (!status.ok) return status;
      const record = ctx.records.get(id)!;
      const local = { ...status.value, definition: withoutSecrets(record.definition), history: record.history };
      return withCheckpoint(ctx, id, ctx.cluster ? withClusterHistory(ctx.cluster, local) : { ok: true, value: local });
    },
    run: (id) => runNow(ctx, id),
    cancel(id) {
      const status = found(id);
      if (!status.ok) return status;
      const running = runningOf(id);
      return cancelEverywhere(ctx, {
        id,
        local: running,
        stopLocal: () => {
          logEvent(ctx.logger, 'run.cancel', { job: id, runs: running });
          stopRuns(ctx, running, 'cancelled');
        },
      });
    },
    pause: (id) => pauseEverywhere(ctx, { id, paused: true, local: () => setPaused(ctx, id, true, found) }),
    resume: (id) => pauseEverywhere(ctx, { id, paused: false, local: () => setPaused(ctx, id, false, found) }),
    subscribe: events.subscribe,
    recentEvents: events.recentEvents,
  };
}

function runNow(ctx: DaemonContext, id: string): ControlOutcome<{ run: string | null; result: Promise<RunRecord> }> {
  if (!jobById(ctx.registry, id)) return { ok: false, status: 404, error: `no job with id "${id}"` };
  if (ctx.stopping) return { ok: false, status: 409, error: 'jobd is shutting down' };
  const refused = refuseUnclaimable(ctx, id);
  if (refused) return refused;
  const fire: Fire = { jobId: id, trigger: 'manual', scheduledAt: Date.now() };
  let runId: string | null = null;
  const result = new Promise<RunRecord>((resolve) => {
    ctx.launchWatchers.set(fire, (launched, ended) => {
      runId = launched;
      void ended.then(resolve);
    });
  });
  const decision = ctx.scheduler.submit(fire);
  if (decision.action === 'skip') {
    const why = decision.runningRun ? `run ${decision.runningRun} is still running and its overlap policy is skip` : decision.reason;
    return { ok: false, status: 409, error: `job "${id}" not started: ${why}` };
  }
  logEvent(ctx.logger, 'run.requested', { job: id, run: runId });
  return { ok: true, value: { run: runId, result } };
}

function setPaused(
  ctx: DaemonContext, id: string, paused: boolean, found: (id: string) => ControlOutcome<JobStatus>,
): ControlOutcome<JobStatus> {
  const job = jobById(ctx.registry, id);
  const record = ctx.records.get(id);
  if (!job || !record) return found(id);
  record.paused = paused;
  ctx.scheduler.plan(job, true);
  ctx.store.saveSoon();
  const status = found(id);
  if (status.ok && paused) logEvent(ctx.logger, 'job.paused', { job: id, running: status.value.running });
  if (status.ok && !paused) logEvent(ctx.logger, 'job.resumed', { job: id, nextRunAt: status.value.nextRunAt });
  return status;
}

function invalidOnly(ctx: DaemonContext, index: StatusIndex): JobStatus[] {
  const activeFiles = new Set(activeJobs(ctx.registry).map((job) => job.file));
  const entries: JobStatus[] = [];
  for (const [file, problems] of index.problemsByFile) {
    if (activeFiles.has(file)) continue;
    entries.push({
      id: basename(file, '.json'), file, state: 'invalid', schedule: null, scheduleWords: null,
      nextRunAt: null, lastRun: null, runCount: 0, running: [], problems,
    });
  }
  return entries;
}

function daemonStatus(ctx: DaemonContext, index: StatusIndex): DaemonStatus {
  const counts: Record<JobState, number> = { scheduled: 0, running: 0, paused: 0, disabled: 0, done: 0, invalid: 0 };
  const all = [...activeStatuses(ctx, index), ...invalidOnly(ctx, index)];
  for (const job of all) counts[job.state] += 1;
  return {
    pid: process.pid,
    spawnerPid: ctx.spawner.pid() ?? null,
    version: ctx.version,
    startedAt: ctx.startedAt.toISOString(),
    uptimeMs: index.now - ctx.startedAt.getTime(),
    jobsDir: ctx.config.jobsDir,
    counts,
    jobs: all,
    running: [...ctx.running.values()].map(({ run, pid, startedAt }) => ({
      run: run.id, job: run.job.id, pid, startedAt, trigger: run.trigger, scheduledAt: new Date(run.scheduledAt).toISOString(),
    })),
    invalidFiles: invalidFiles(ctx.registry),
    ...(ctx.cluster ? { cluster: ctx.cluster.view() } : {}),
  };
}
