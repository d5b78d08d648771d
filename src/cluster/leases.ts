import type { ClusterReport } from '../types.js';
import type { Database } from './connection.js';
import { heartbeat, type NodeIdentity } from './nodes.js';

/** Renews the leases of this node's runs, fences them when it cannot, and reaps other nodes' expired ones. */
export interface LeaseKeeper {
  /** Starts renewing a claimed run's lease. */
  hold(owner: string): void;
  /** The run ended: no more renewals. */
  release(owner: string): void;
  stop(): void;
}

export interface LeaseKeeperInput {
  db: Database;
  schema: string;
  node: NodeIdentity;
  leaseMs: number;
  report(report: ClusterReport): void;
  /** Runs with each renewal, after it: the checkpoints of resumable runs are uploaded then. */
  afterRenew?(): Promise<void>;
}

/**
 * Every sixth of the lease (5 s of 30 s), one statement renews every lease this node
 * holds from the database clock, another reaps expired ones of any node with
 * `FOR UPDATE SKIP LOCKED` (so nodes reaping together never wait on each other), and the
 * node's heartbeat is written. A lease not renewed for two thirds of its length, measured
 * on the monotonic clock, is fenced: the daemon stops that run before the lease can expire
 * and another node could take its job over.
 */
export function startLeaseKeeper(input: LeaseKeeperInput): LeaseKeeper {
  const renewedAt = new Map<string, number>();
  // Fenced once until renewed again: an owner stays held, so a run kept past the deadline
  // (onLeaseLoss "continue") gets its lease back when the database answers in time.
  const fenced = new Set<string>();
  const forget = (owner: string): void => {
    renewedAt.delete(owner);
    fenced.delete(owner);
  };
  const everyMs = Math.max(100, Math.floor(input.leaseMs / 6));
  const fenceAfterMs = Math.floor((input.leaseMs * 2) / 3);
  let busy = false;

  const fenceOverdue = (): void => {
    const now = performance.now();
    const overdue = [...renewedAt].filter(([owner, at]) => now - at > fenceAfterMs && !fenced.has(owner)).map(([owner]) => owner);
    if (overdue.length === 0) return;
    for (const owner of overdue) fenced.add(owner);
    input.report({ kind: 'fenced', owners: overdue, reason: `lease not renewed for ${fenceAfterMs} ms` });
  };

  // False when the database did not answer: nothing else is sent to it this tick but the reaping and heartbeat.
  const renew = async (): Promise<boolean> => {
    const owners = [...renewedAt.keys()];
    if (owners.length === 0) return true;
    const sentAt = performance.now();
    const kept = await renewLeases(input, owners);
    if (kept === null) return false;
    const lost = owners.filter((owner) => !kept.has(owner) && renewedAt.has(owner));
    for (const owner of kept) {
      if (!renewedAt.has(owner)) continue;
      renewedAt.set(owner, sentAt);
      fenced.delete(owner);
    }
    for (const owner of lost) forget(owner);
    if (lost.length > 0) input.report({ kind: 'fenced', owners: lost, reason: 'lease taken away: the run was reaped' });
    return true;
  };

  const tick = async (): Promise<void> => {
    fenceOverdue();
    if (busy) return;
    busy = true;
    try {
      if (await renew()) await input.afterRenew?.();
      await reapExpired(input);
      await heartbeat(input.db, input.schema, input.node);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();

  return {
    hold: (owner) => void renewedAt.set(owner, performance.now()),
    release: forget,
    stop: () => clearInterval(timer),
  };
}

/** One statement renews every lease the node holds and that has not expired, from the database's clock; the owners still held, or null. */
async function renewLeases(input: LeaseKeeperInput, owners: string[]): Promise<Set<string> | null> {
  const rows = await input.db.query<{ owner: string }>(
    `UPDATE ${input.schema}.jobd_runs SET lease_until = now() + $2 * interval '1 millisecond'
     WHERE owner = ANY($1::uuid[]) AND status = 'running' AND lease_until > now() RETURNING owner::text AS owner`,
    [owners, input.leaseMs],
  );
  return rows === null ? null : new Set(rows.map((r) => r.owner));
}

/** Marks runs whose lease expired `interrupted`, at most 100 a time, skipping rows another node is reaping. */
async function reapExpired(input: LeaseKeeperInput): Promise<void> {
  const rows = await input.db.query<{ job: string; run: string | null; node: string; scheduled_at: Date; resume_count: number }>(
    `UPDATE ${input.schema}.jobd_runs r
     SET status = 'interrupted', ended_at = now(), lease_until = NULL,
         error = 'lease expired: node ' || r.node || ' stopped renewing it'
     FROM (SELECT id FROM ${input.schema}.jobd_runs WHERE status = 'running' AND lease_until < now()
           ORDER BY lease_until LIMIT 100 FOR UPDATE SKIP LOCKED) due
     WHERE r.id = due.id
     RETURNING r.job, r.run, r.node, r.scheduled_at, r.resume_count`,
    [],
  );
  for (const row of rows ?? []) {
    const { job, run, node } = row;
    input.report({ kind: 'reaped', job, run, node, scheduledAt: row.scheduled_at.toISOString(), resumeCount: row.resume_count });
  }
}
