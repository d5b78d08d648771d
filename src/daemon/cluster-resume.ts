import type { ClusterReport } from '../types.js';
import { logEvent } from '../log/events.js';
import type { DaemonContext } from './context.js';
import { takeRunId } from './job-records.js';
import { jobById } from './registry.js';

// Only the node whose statement reaped the run hears of it, and the unique resume_of_row
// key refuses any second claim: the reaped run is resumed once, by whichever node reaped it.
// maxRuns and overlap are the claim's to decide, from the cluster's counts.
export function resumeReaped(ctx: DaemonContext, report: Extract<ClusterReport, { kind: 'reaped' }>): void {
  const job = jobById(ctx.registry, report.job);
  const record = ctx.records.get(report.job);
  if (!job || !record || job.onInterrupted !== 'resume' || report.run === null) return;
  const resumeOf = report.run;
  const reason = report.resumeCount >= job.maxResumes ? 'maxResumes'
    : !job.enabled ? 'disabled' : record.paused ? 'paused' : null;
  if (reason !== null) {
    logEvent(ctx.logger, 'daemon.resume', { count: 0, runs: [], held: [{ job: job.id, run: resumeOf, reason }] });
    return;
  }
  const run = takeRunId(record);
  logEvent(ctx.logger, 'daemon.resume', { count: 1, runs: [{ job: job.id, run, resumeOf }], held: [] });
  ctx.scheduler.submit({ jobId: job.id, trigger: 'resume', scheduledAt: Date.now(), resumeOf, resumeCount: report.resumeCount + 1, resumeOfNode: report.node, runId: run });
}
