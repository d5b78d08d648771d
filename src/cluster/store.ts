import { randomUUID } from 'node:crypto';
import type { CheckpointStore, ClusterClaim, ClusterConfig, ClusterOpened, ClusterReport, ClusterStore, Job, PublishInput, PublishedJob, RunResult } from '../types.js';
import { createCheckpointSync, type CheckpointSync } from './checkpoints.js';
import { claimFire } from './claim.js';
import { connectDatabase, type Database } from './connection.js';
import { definitionHash } from './definition-hash.js';
import { startLeaseKeeper } from './leases.js';
import { migrate, quotedSchema } from './migrate.js';
import { leaveCluster, registerNode, type NodeIdentity } from './nodes.js';
import { startViewKeeper, type ViewKeeper } from './view.js';
import { channelOf, writeCancel, writePaused } from './control.js';
import { startControlSync } from './control-sync.js';
import { readHistory } from './history.js';

/** What a node tells the cluster about itself, besides its configuration. */
export interface ClusterStoreOptions {
  version: string;
  report(report: ClusterReport): void;
  /** This node's checkpoint files: those of resumable runs are kept in the database too. */
  checkpoints: CheckpointStore;
}

/**
 * Joins the cluster: connects, migrates the schema, registers the node (refused when a
 * live node has the same id) and starts keeping leases. Resolves to the store or to why not.
 */
export async function createClusterStore(config: ClusterConfig, options: ClusterStoreOptions): Promise<ClusterOpened> {
  const db = connectDatabase({ url: config.url, nodeId: config.nodeId, report: options.report });
  const migrated = await migrate(db, config.schema);
  if (!migrated.ok) return closeWith(db, `--cluster: ${migrated.message}`);
  const S = quotedSchema(config.schema);
  const node: NodeIdentity = { nodeId: config.nodeId, session: randomUUID(), version: options.version, pid: process.pid };
  const registered = await registerNode(db, S, node, config.leaseMs);
  if (!registered.ok) return closeWith(db, registered.message);
  const checkpoints = createCheckpointSync({ db, S, checkpoints: options.checkpoints });
  const leases = startLeaseKeeper({ db, schema: S, node, leaseMs: config.leaseMs, report: options.report, afterRenew: () => checkpoints.uploadChanged() });
  const view = startViewKeeper({ db, schema: S, schemaName: config.schema, node, leaseMs: config.leaseMs, report: options.report });
  const control = startControlSync({ db, S, config, report: options.report });
  return { ok: true, store: storeOver({ db, S, node, leases, view, control, config, checkpoints }) };
}

async function closeWith(db: Database, message: string): Promise<ClusterOpened> {
  await db.end();
  return { ok: false, message };
}

interface StoreParts {
  db: Database;
  S: string;
  node: NodeIdentity;
  leases: ReturnType<typeof startLeaseKeeper>;
  view: ViewKeeper;
  control: { stop(): void };
  config: ClusterConfig;
  checkpoints: CheckpointSync;
}

function storeOver({ db, S, node, leases, view, control, config, checkpoints }: StoreParts): ClusterStore {
  const hashes = new WeakMap<Job, string>();
  const hashOf = (job: Job): string => {
    let hash = hashes.get(job);
    if (hash === undefined) hashes.set(job, (hash = definitionHash(job)));
    return hash;
  };
  const pending = new Set<Promise<unknown>>();
  let closing = false;
  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
    return work;
  };
  return {
    nodeId: config.nodeId,
    publishJob: (input) => track(publishJob({ ...input, db, S, nodeId: config.nodeId, hash: hashOf(input.job), liveMs: config.leaseMs })),
    history: (job, limit) => track(readHistory(db, S, job, limit)),
    setPaused: (job, paused) => track(writePaused(db, S, channelOf(config.schema), { job, paused })),
    requestCancel: (job) => track(writeCancel(db, S, channelOf(config.schema), job)),
    async claim({ fire, job }) {
      const owner = randomUUID();
      const claimed = await track(claimFire({ db, schema: S, fire, job, hash: hashOf(job), nodeId: config.nodeId, owner, leaseMs: config.leaseMs }));
      if (claimed === null || claimed === 'unavailable') return null;
      leases.hold(owner);
      if (job.onInterrupted === 'resume') checkpoints.follow(claimed, job.id);
      // A download that fails leaves the local file as it was: the run starts from it rather than not at all.
      if (fire.trigger === 'resume') await track(checkpoints.download(job.id));
      return claimed;
    },
    runStarted: (claim, facts) =>
      track(fencedWrite(db, `UPDATE ${S}.jobd_runs SET run = $3, pid = $4, started_at = $5 WHERE id = $1 AND owner = $2 AND status = 'running' RETURNING id`,
        [claim.row, claim.owner, facts.run, facts.pid, facts.startedAt])),
    // The end is written again until the database answers (or the node stops): a lost end
    // would block an overlap-skip job, catch-up included, until its lease expired and was
    // reaped. The owner token still fences it: once reaped, the run is not written.
    runEnded(claim, result) {
      const written = checkpoints.settle(claim, result.status === 'ok')
        .then(() => retryWhileUnavailable(() => recordEnd(db, S, claim, result), () => !closing));
      return track(written.finally(() => leases.release(claim.owner)));
    },
    abandon(claim) {
      leases.release(claim.owner);
      checkpoints.forget(claim);
      return track(fencedWrite(db,
        `UPDATE ${S}.jobd_runs SET status = 'interrupted', ended_at = now(), lease_until = NULL, error = 'jobd stopped before the run started'
         WHERE id = $1 AND owner = $2 AND status = 'running' RETURNING id`, [claim.row, claim.owner]));
    },
    view: () => view.view(),
    async close() {
      closing = true;
      leases.stop();
      view.stop();
      control.stop();
      await Promise.allSettled([...pending]);
      await leaveCluster(db, S, node);
      await db.end();
    },
  };
}

async function publishJob(input: PublishInput & { db: Database; S: string; nodeId: string; hash: string; liveMs: number }): Promise<PublishedJob | null> {
  const { job, S } = input;
  const every = job.schedule?.kind === 'interval' ? job.schedule.everyMs : null;
  // A node that starts with a stale jobs.d never overwrites what the cluster holds; an edit
  // it sees while running does, and so does a node starting while no other node is live
  // (or jobs edited while the whole cluster was down would never run). A changed period
  // starts a new shared timeline. A job new to the cluster takes this node's state file's
  // pause, run count and last fire; an existing one keeps the cluster's.
  const rows = await input.db.query<{ definition_hash: string; anchor_at: Date | null }>(
    `WITH mine AS (
       INSERT INTO ${S}.jobd_node_jobs (node, job, definition_hash) VALUES ($5, $1, $2)
       ON CONFLICT (node, job) DO UPDATE SET definition_hash = EXCLUDED.definition_hash
     ), overwrite AS (
       SELECT $6::boolean OR NOT EXISTS (
         SELECT 1 FROM ${S}.jobd_nodes WHERE id <> $5 AND last_seen > now() - $7 * interval '1 millisecond') AS yes
     )
     INSERT INTO ${S}.jobd_jobs AS j (id, definition_hash, anchor_every_ms, anchor_at, published_by, paused, run_count, last_fire_at)
     VALUES ($1, $2, $3, $4, $5, $8, $9, $10)
     ON CONFLICT (id) DO UPDATE SET
       definition_hash = CASE WHEN (SELECT yes FROM overwrite) THEN EXCLUDED.definition_hash ELSE j.definition_hash END,
       anchor_at = CASE WHEN (SELECT yes FROM overwrite) AND j.anchor_every_ms IS DISTINCT FROM EXCLUDED.anchor_every_ms
                        THEN EXCLUDED.anchor_at ELSE COALESCE(j.anchor_at, EXCLUDED.anchor_at) END,
       anchor_every_ms = CASE WHEN (SELECT yes FROM overwrite) THEN EXCLUDED.anchor_every_ms ELSE COALESCE(j.anchor_every_ms, EXCLUDED.anchor_every_ms) END,
       published_by = CASE WHEN (SELECT yes FROM overwrite) THEN EXCLUDED.published_by ELSE j.published_by END,
       published_at = CASE WHEN (SELECT yes FROM overwrite) THEN now() ELSE j.published_at END
     RETURNING definition_hash, anchor_at`,
    [job.id, input.hash, every, every === null || input.anchorAt === null ? null : new Date(input.anchorAt), input.nodeId, input.edited, input.liveMs,
      input.imported.paused, input.imported.runCount, input.imported.lastFireAt],
  );
  const row = rows?.[0];
  if (!row) return null;
  return { hash: row.definition_hash, ownHash: input.hash, anchorAt: row.anchor_at === null ? null : row.anchor_at.getTime() };
}

async function recordEnd(db: Database, S: string, claim: ClusterClaim, result: RunResult): Promise<boolean | 'unavailable'> {
  const rows = await db.query(
    `UPDATE ${S}.jobd_runs SET status = $3, ended_at = $4, exit_code = $5, signal = $6, duration_ms = $7, error = $8,
       stdout = $9, stderr = $10, pid = COALESCE(pid, $11), lease_until = NULL
     WHERE id = $1 AND owner = $2 AND status = 'running' RETURNING id`,
    [claim.row, claim.owner, result.status, result.endedAt, result.exitCode, result.signal, result.durationMs, result.error ?? null,
      withoutNul(result.stdout), withoutNul(result.stderr), result.pid],
  );
  return rows === null ? 'unavailable' : rows.length > 0;
}

async function retryWhileUnavailable(write: () => Promise<boolean | 'unavailable'>, mayRetry: () => boolean): Promise<boolean> {
  for (let delay = 200; ; delay = Math.min(delay * 2, 2_000)) {
    const outcome = await write();
    if (outcome !== 'unavailable') return outcome;
    if (!mayRetry()) return false;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

// PostgreSQL text cannot hold NUL; a command's output can.
function withoutNul(text: string): string {
  return text.includes('\0') ? text.replace(/\0/g, '') : text;
}

// The owner token fences the write: a run whose lease was reaped cannot be written by its old owner.
async function fencedWrite(db: Database, text: string, values: unknown[]): Promise<boolean> {
  const rows = await db.query(text, values);
  return rows !== null && rows.length > 0;
}
