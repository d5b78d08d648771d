import type { ControlAnswer, ControlOutcome, Job, JobStatus, RunRecord } from '../types.js';
import type { ClusterSeam } from './cluster-seam.js';
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
