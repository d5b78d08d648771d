import type { ClusterReport, ControlAnswer, ControlOutcome, Job, JobStatus, RunRecord } from '../types.js';
import type { ClusterSeam, SeamInternals } from './cluster-seam.js';
import type { DaemonContext } from './context.js';
import { HISTORY_LIMIT } from './job-records.js';
import { jobById } from './registry.js';

const UNAVAILABLE = 'the cluster database is unavailable';

/** Pause or resume: in a cluster the database first (every node's claims check it), then this node. */
export function pauseEverywhere(
  ctx: DaemonContext, input: { id: string; paused: boolean; local(): ControlOutcome<JobStatus> },
): ControlAnswer<JobStatus> {
  const cluster = ctx.cluster;
  if (!cluster || !jobById(ctx.registry, input.id)) return input.local();
  return cluster.setPaused(input.id, input.paused).then((written) =>
    written ? input.local() : { ok: false, status: 503, error: `job "${input.id}" not ${input.paused ? 'paused' : 'resumed'}: ${UNAVAILABLE}` },
  );
}

/** A manual run while the cluster database is away could never be claimed: refused at once instead of queued. */
export function refuseUnclaimable(ctx: DaemonContext, id: string): ControlOutcome<never> | null {
  return ctx.cluster && !ctx.cluster.reachable() ? { ok: false, status: 503, error: `job "${id}" not started: ${UNAVAILABLE}` } : null;
}

/** Cancel: this node's runs at once, and in a cluster a request to the nodes running the others. */
export function cancelEverywhere(
  ctx: DaemonContext, input: { id: string; local: string[]; stopLocal(): void },
): ControlAnswer<{ cancelled: string[] }> {
  const none: ControlOutcome<{ cancelled: string[] }> = { ok: false, status: 409, error: `job "${input.id}" has no run in progress` };
  if (input.local.length > 0) input.stopLocal();
  const cluster = ctx.cluster;
  if (!cluster) return input.local.length > 0 ? { ok: true, value: { cancelled: input.local } } : none;
  return cluster.requestCancel(input.id).then((remote) => {
    if (remote === null && input.local.length === 0) return { ok: false, status: 503, error: `job "${input.id}" not cancelled: ${UNAVAILABLE}` };
    const elsewhere = (remote ?? []).filter((r) => r.node !== cluster.nodeId).map((r) => r.run ?? `(starting on ${r.node})`);
    const cancelled = [...input.local, ...elsewhere];
    return cancelled.length > 0 ? { ok: true, value: { cancelled } } : none;
  });
}

type JobDetail = JobStatus & { definition: Job | null; history: RunRecord[]; historyStale?: boolean };

/** `GET /jobs/:id` in a cluster: the history of every node, or this node's marked stale when the database is away. */
export async function withClusterHistory(cluster: ClusterSeam, local: JobDetail): Promise<ControlOutcome<JobDetail>> {
  const shared = await cluster.history(local.id, HISTORY_LIMIT);
  return { ok: true, value: shared === null ? { ...local, historyStale: true } : { ...local, history: shared } };
}

/**
 * The cluster's pause flags and run counts win over this node's own (a state file imported
 * at the first start, or runs of other nodes); runs another node asked to cancel are stopped
 * here. A count read before this node's last claim of the job may miss that claim: the
 * next read brings it.
 */
export function applyControl(ctx: DaemonContext, report: Extract<ClusterReport, { kind: 'control' }>, seam: SeamInternals): void {
  const counts = new Map(report.runCounts);
  let changed = false;
  for (const [id, paused] of report.paused) {
    const record = ctx.records.get(id);
    const job = jobById(ctx.registry, id);
    if (!record || !job) continue;
    const count = counts.get(id);
    const newCount = count !== undefined && count !== record.runCount && (seam.lastClaimOf(id) ?? -Infinity) < report.readStartedAt;
    const pauseChanged = record.paused !== paused;
    if (!pauseChanged && !newCount) continue;
    record.paused = paused;
    if (newCount) record.runCount = count;
    // Only a pause or maxRuns changes what the timeline is.
    if (pauseChanged || job.maxRuns !== null) ctx.scheduler.plan(job, true);
    changed = true;
  }
  if (changed) ctx.store.saveSoon();
  for (const owner of report.cancel) {
    const run = seam.runOfOwner(owner);
    if (run !== undefined) ctx.running.get(run)?.handle?.stop('cancelled');
  }
}
