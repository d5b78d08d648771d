import type { ClusterClaim, ClusterConfig, ClusterReport, ClusterStore, ClusterView, Fire, Job, RunResult } from '../types.js';
import { logEvent } from '../log/events.js';
import type { DaemonContext } from './context.js';
import { catchUpSoon } from './cluster-catch-up.js';
import { applyControl } from './cluster-control.js';
import { resumeReaped } from './cluster-resume.js';
import { takeRunId } from './job-records.js';
import { jobById } from './registry.js';

/** What the daemon does through the cluster store: claims, run rows, shared timelines. */
export interface ClusterSeam {
  nodeId: string;
  /** False from the first failed statement until one succeeds again. */
  reachable(): boolean;
  /** The one-statement claim; the claim is kept for the run this fire becomes. */
  claim(fire: Fire): Promise<boolean>;
  /** The run a claimed fire became: its row gets the run id and pid. */
  started(fire: Fire, run: string, facts: { pid: number | null; startedAt: string }): void;
  ended(result: RunResult): void;
  /** A claimed fire that will not run after all (shutdown began, job removed): its row says interrupted. */
  abandon(fire: Fire): void;
  /** Publishes a loaded or edited job; an interval then follows the cluster's shared timeline. */
  publish(job: Job, edited: boolean): void;
  view(): ClusterView;
  setPaused(job: string, paused: boolean): Promise<boolean>;
  history(job: string, limit: number): Promise<RunResult[] | null>;
  requestCancel(job: string): Promise<Array<{ run: string | null; node: string }> | null>;
  close(): Promise<void>;
}

/**
 * Joins the cluster when `--cluster` is given. The cluster folder (and with it pg) is
 * loaded only then, so a single-host daemon never pays for it.
 */
export async function openCluster(ctx: DaemonContext, config: ClusterConfig): Promise<{ ok: true; seam: ClusterSeam } | { ok: false; message: string }> {
  const { createClusterStore } = await import('../cluster/store.js');
  let seam: ReturnType<typeof seamOver> | undefined;
  const opened = await createClusterStore(config, { version: ctx.version, checkpoints: ctx.checkpoints, report: (report) => onReport(ctx, config.nodeId, report, seam) });
  if (!opened.ok) return opened;
  seam = seamOver(ctx, opened.store);
  logEvent(ctx.logger, 'cluster.joined', { node: config.nodeId, schema: config.schema, leaseMs: config.leaseMs });
  return { ok: true, seam };
}

export interface SeamInternals {
  runOfOwner(owner: string): string | undefined;
  /** When this node last claimed a fire of the job (performance.now()), or undefined. */
  lastClaimOf(job: string): number | undefined;
  wentDown(): void;
  /** The database answers again: each catchUp job runs its last missed fire once, per the single-host catch-up policy. */
  cameBack(): void;
}

function seamOver(ctx: DaemonContext, store: ClusterStore): ClusterSeam & SeamInternals {
  const node = store.nodeId;
  const claimOfFire = new WeakMap<Fire, ClusterClaim>();
  const claimOfRun = new Map<string, ClusterClaim>();
  const runOfOwner = new Map<string, string>();
  const lastClaim = new Map<string, number>();
  // Ends of this node's runs not yet written, per job: the job's row may still say running.
  const ending = new Map<string, number>();
  // The last scheduled instant of each catchUp job that could not be claimed while the database was away.
  const missedWhileDown = new Map<string, number>();
  let down = false;
  return {
    nodeId: node,
    reachable: () => !down,
    async claim(fire) {
      const job = jobById(ctx.registry, fire.jobId);
      const claimed = job ? await store.claim({ fire, job }) : null;
      if (!claimed) {
        const scheduledAt = new Date(fire.scheduledAt).toISOString();
        logEvent(ctx.logger, 'cluster.skipped', { job: fire.jobId, trigger: fire.trigger, scheduledAt, node });
        if (down && job?.catchUp && fire.trigger === 'schedule') missedWhileDown.set(job.id, fire.scheduledAt);
        answerUnclaimed(ctx, fire);
        return false;
      }
      claimOfFire.set(fire, claimed);
      lastClaim.set(fire.jobId, performance.now());
      return true;
    },
    started(fire, run, facts) {
      const claimed = claimOfFire.get(fire);
      if (!claimed) return;
      claimOfRun.set(run, claimed);
      runOfOwner.set(claimed.owner, run);
      // Counted here after the claim: a read of the counts must start after this to include it.
      lastClaim.set(fire.jobId, performance.now());
      void store.runStarted(claimed, { run, ...facts });
    },
    ended(result) {
      const claimed = claimOfRun.get(result.run);
      if (!claimed) return;
      claimOfRun.delete(result.run);
      runOfOwner.delete(claimed.owner);
      ending.set(result.job, (ending.get(result.job) ?? 0) + 1);
      void store.runEnded(claimed, result).then((written) => {
        const left = (ending.get(result.job) ?? 1) - 1;
        if (left > 0) ending.set(result.job, left);
        else ending.delete(result.job);
        if (!written) logEvent(ctx.logger, 'cluster.refused', { job: result.job, run: result.run, node, status: result.status });
      });
    },
    abandon(fire) {
      const claimed = claimOfFire.get(fire);
      if (claimed) void store.abandon(claimed);
    },
    publish(job, edited) {
      const record = ctx.records.get(job.id);
      const anchorAt = record?.nextRunAt ? Date.parse(record.nextRunAt) : null;
      const imported = { paused: record?.paused ?? false, runCount: record?.runCount ?? 0, lastFireAt: record?.lastFireAt ?? null };
      void store.publishJob({ job, anchorAt, edited, imported }).then((published) => {
        if (!published || jobById(ctx.registry, job.id) !== job) return;
        if (published.hash !== published.ownHash) logEvent(ctx.logger, 'cluster.diverged', { job: job.id, node, hash: published.ownHash, published: published.hash });
        if (published.anchorAt !== null) followSharedTimeline(ctx, job, published.anchorAt);
      });
    },
    runOfOwner: (owner) => runOfOwner.get(owner),
    lastClaimOf: (job) => lastClaim.get(job),
    wentDown: () => void (down = true),
    cameBack() {
      down = false;
      for (const [id, scheduledAt] of missedWhileDown) catchUpSoon(ctx, { id, scheduledAt, ending: (job) => ending.has(job) });
      missedWhileDown.clear();
    },
    view: () => store.view(),
    setPaused: (job, paused) => store.setPaused(job, paused),
    history: (job, limit) => store.history(job, limit),
    requestCancel: (job) => store.requestCancel(job),
    close: () => store.close(),
  };
}

// Every node fires an interval at anchor + k·period of the one shared anchor; a local
// phase (from the state file or this node's own load time) gives way to it.
function followSharedTimeline(ctx: DaemonContext, job: Job, anchorAt: number): void {
  const record = ctx.records.get(job.id);
  if (!record || job.schedule?.kind !== 'interval') return;
  const { everyMs } = job.schedule;
  const onPhase = (iso: string | null): boolean => iso !== null && (Date.parse(iso) - anchorAt) % everyMs === 0;
  if (onPhase(record.nextRunAt)) return;
  if (!onPhase(record.lastFireAt)) record.lastFireAt = null;
  record.nextRunAt = new Date(anchorAt).toISOString();
  ctx.scheduler.plan(job, true);
}

function onReport(ctx: DaemonContext, node: string, report: ClusterReport, seam: ReturnType<typeof seamOver> | undefined): void {
  switch (report.kind) {
    case 'unavailable':
      logEvent(ctx.logger, 'cluster.unavailable', { node, message: report.message, nextReportInMs: report.nextReportInMs });
      seam?.wentDown();
      return;
    case 'available':
      logEvent(ctx.logger, 'cluster.available', { node, downMs: report.downMs });
      seam?.cameBack();
      return;
    case 'control':
      if (seam) applyControl(ctx, report, seam);
      return;
    case 'skew':
      logEvent(ctx.logger, 'cluster.skew', { node, skewMs: report.skewMs });
      return;
    case 'reaped':
      logEvent(ctx.logger, 'cluster.reaped', { job: report.job, run: report.run, node: report.node, scheduledAt: report.scheduledAt });
      resumeReaped(ctx, report);
      return;
    case 'fenced':
      for (const owner of report.owners) {
        const run = seam?.runOfOwner(owner);
        const active = run === undefined ? undefined : ctx.running.get(run);
        if (!active) continue;
        const fields = { job: active.run.job.id, run: active.run.id, node, reason: report.reason };
        if (active.run.job.onLeaseLoss === 'continue') {
          logEvent(ctx.logger, 'cluster.kept', fields);
          continue;
        }
        logEvent(ctx.logger, 'cluster.fenced', fields);
        active.handle?.stop('interrupted');
      }
  }
}

// Whoever waits for this fire (`jobd run --wait`) learns that it will not run, instead of waiting for ever.
function answerUnclaimed(ctx: DaemonContext, fire: Fire): void {
  const watcher = ctx.launchWatchers.get(fire);
  const record = ctx.records.get(fire.jobId);
  if (!watcher || !record) return;
  const run = takeRunId(record);
  const reason = 'not claimed: it runs on another node, maxRuns is reached, its definition differs, or the cluster database is unavailable';
  watcher(run, Promise.resolve({ run, job: fire.jobId, trigger: fire.trigger, status: 'skipped', scheduledAt: new Date(fire.scheduledAt).toISOString(), reason }));
}
