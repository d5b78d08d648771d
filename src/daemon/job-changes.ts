import type { Job, JobRecord, Schedule } from '../types.js';
import { logEvent } from '../log/events.js';
import { describeSchedule } from '../schedule/describe-schedule.js';
import { sameSchedule } from '../schedule/same-schedule.js';
import type { DaemonContext } from './context.js';
import { jobState, newRecord } from './job-records.js';
import type { RegistryChange } from './registry.js';

/** Logs what a file event changed and brings the schedule in line with it; says whether anything changed. */
export function applyChanges(ctx: DaemonContext, changes: RegistryChange[]): boolean {
  for (const change of changes) {
    switch (change.kind) {
      case 'added':
        jobAdded(ctx, change.job);
        break;
      case 'updated':
        jobUpdated(ctx, change.job, change.previous);
        break;
      case 'removed':
        ctx.scheduler.unplan(change.job.id);
        logEvent(ctx.logger, 'job.removed', { job: change.job.id, file: change.job.file });
        break;
      case 'invalid': {
        const [first] = change.problems;
        const problems = change.problems.map(({ path, message }) => ({ path, message }));
        logEvent(ctx.logger, 'job.invalid', {
          file: change.file, path: first?.path ?? '', message: first?.message ?? 'invalid', problems, keeping: change.keeping?.id ?? null,
        });
        break;
      }
      case 'duplicate':
        logEvent(ctx.logger, 'job.duplicate', { job: change.job.id, file: change.file, keptFile: change.keptFile });
        break;
      case 'unchanged':
        break;
    }
  }
  return changes.some((c) => c.kind !== 'unchanged');
}

function jobAdded(ctx: DaemonContext, job: Job): void {
  const known = ctx.records.get(job.id);
  const record = known ?? newRecord(job);
  ctx.records.set(job.id, record);
  const keepTimeline = known !== undefined && sameSchedule(known.definition?.schedule, job.schedule);
  if (!keepTimeline) resetTimeline(record);
  const missed = keepTimeline && record.nextRunAt !== null && Date.parse(record.nextRunAt) <= Date.now();
  record.file = job.file;
  record.definition = job;
  handleMissedFires(ctx, job, record, missed);
  ctx.scheduler.plan(job, keepTimeline);
  ctx.cluster?.publish(job, false);
  const state = jobState(job, record, 0, Date.now());
  logEvent(ctx.logger, 'job.loaded', { job: job.id, file: job.file, schedule: describe(job.schedule), nextRunAt: record.nextRunAt, state });
}

function jobUpdated(ctx: DaemonContext, job: Job, previous: Job): void {
  const record = ctx.records.get(job.id) ?? newRecord(job);
  ctx.records.set(job.id, record);
  const timelineKept = sameSchedule(previous.schedule, job.schedule);
  if (!timelineKept) resetTimeline(record);
  record.file = job.file;
  record.definition = job;
  if (!timelineKept) handleMissedFires(ctx, job, record, false);
  ctx.scheduler.plan(job, timelineKept);
  ctx.cluster?.publish(job, true);
  logEvent(ctx.logger, 'job.updated', { job: job.id, file: job.file, schedule: describe(job.schedule), nextRunAt: record.nextRunAt, timelineKept });
}

// A one-shot instant already past, or fires missed while jobd was down:
// skipped with a warning, or (catchUp) exactly one run now.
function handleMissedFires(ctx: DaemonContext, job: Job, record: JobRecord, missedWhileDown: boolean): void {
  if (!job.enabled || record.paused || !job.schedule) return;
  const now = Date.now();
  // Like cron's @reboot: at the daemon's start only, not when the file appears or changes later.
  if (job.schedule.kind === 'start') {
    if (ctx.loading) ctx.scheduler.submit({ jobId: job.id, trigger: 'schedule', scheduledAt: now });
    return;
  }
  if (job.schedule.kind === 'once') {
    const at = Date.parse(job.schedule.at);
    const ran = record.lastFireAt !== null && Date.parse(record.lastFireAt) >= at;
    if (at > now || ran) return;
    if (job.catchUp) {
      record.lastFireAt = job.schedule.at;
      ctx.scheduler.submit({ jobId: job.id, trigger: 'catchup', scheduledAt: at });
    } else logEvent(ctx.logger, 'run.skipped', { job: job.id, reason: 'past', scheduledAt: job.schedule.at });
    return;
  }
  if (missedWhileDown && job.catchUp) {
    ctx.scheduler.submit({ jobId: job.id, trigger: 'catchup', scheduledAt: Date.parse(record.nextRunAt!) });
  }
}

function resetTimeline(record: JobRecord): void {
  record.lastFireAt = null;
  record.nextRunAt = null;
}

function describe(schedule: Schedule | null): string | null {
  return schedule ? describeSchedule(schedule) : null;
}
