import type { Fire } from '../types.js';
import { logEvent } from '../log/events.js';
import type { DaemonContext } from './context.js';
import { takeRunId } from './job-records.js';
import { activeJobs } from './registry.js';
import { planResumes } from './resume-plan.js';

/**
 * At start, once the orphans of interrupted runs are stopped and every job file is loaded:
 * starts again the interrupted runs of jobs with `onInterrupted: "resume"`, through the
 * policies like any fire (overlap, concurrency). Run ids are taken here, so the one
 * `daemon.resume` event can name the runs before they start.
 */
export function resumeInterrupted(ctx: DaemonContext): void {
  const plan = planResumes({ jobs: activeJobs(ctx.registry), records: ctx.records });
  if (plan.resume.length === 0 && plan.held.length === 0) return;
  const now = Date.now();
  const fires: Fire[] = [];
  const runs: Array<{ job: string; run: string; resumeOf: string }> = [];
  for (const { job, resumeOf, resumeCount } of plan.resume) {
    const run = takeRunId(ctx.records.get(job)!);
    fires.push({ jobId: job, trigger: 'resume', scheduledAt: now, resumeOf, resumeCount, runId: run });
    runs.push({ job, run, resumeOf });
  }
  logEvent(ctx.logger, 'daemon.resume', { count: runs.length, runs, held: plan.held });
  for (const fire of fires) ctx.scheduler.submit(fire);
}
