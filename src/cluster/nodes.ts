import { hostname } from 'node:os';
import type { Database } from './connection.js';

/** Who this node is, as `jobd_nodes` records it. */
export interface NodeIdentity {
  nodeId: string;
  session: string;
  version: string;
  pid: number;
}

/**
 * Registers this node. A row with the same id seen within `liveMs` belongs to a live
 * node, and this one is refused; an older row is a node that died, and is taken over.
 */
export async function registerNode(db: Database, S: string, node: NodeIdentity, liveMs: number): Promise<{ ok: true } | { ok: false; message: string }> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO ${S}.jobd_nodes AS n (id, session, host, version, pid, started_at, last_seen)
     VALUES ($1, $2, $3, $4, $5, now(), now())
     ON CONFLICT (id) DO UPDATE SET session = EXCLUDED.session, host = EXCLUDED.host, version = EXCLUDED.version,
       pid = EXCLUDED.pid, started_at = EXCLUDED.started_at, last_seen = EXCLUDED.last_seen
     WHERE n.last_seen < now() - $6 * interval '1 millisecond'
     RETURNING id`,
    [node.nodeId, node.session, hostname(), node.version, node.pid, liveMs],
  );
  if (rows === null) return { ok: false, message: 'could not register this node: the cluster database did not answer' };
  if (rows.length > 0) return { ok: true };
  const live = await db.query<{ host: string; pid: number; age: number }>(
    `SELECT host, pid, extract(epoch FROM now() - last_seen) * 1000 AS age FROM ${S}.jobd_nodes WHERE id = $1`,
    [node.nodeId],
  );
  const other = live?.[0];
  const where = other ? ` (host ${other.host}, pid ${other.pid}, seen ${Math.round(Number(other.age))} ms ago)` : '';
  return { ok: false, message: `--node-id ${node.nodeId}: a live node already has this id${where}; give each node its own --node-id` };
}

/** Marks this node alive; false when the database did not answer. */
export async function heartbeat(db: Database, S: string, node: NodeIdentity): Promise<boolean> {
  const rows = await db.query(`UPDATE ${S}.jobd_nodes SET last_seen = now() WHERE id = $1 AND session = $2 RETURNING id`, [node.nodeId, node.session]);
  return rows !== null;
}

/** Removes this node's registration, so its id is free at once. */
export async function leaveCluster(db: Database, S: string, node: NodeIdentity): Promise<void> {
  await db.query(
    `WITH gone AS (DELETE FROM ${S}.jobd_nodes WHERE id = $1 AND session = $2 RETURNING id)
     DELETE FROM ${S}.jobd_node_jobs WHERE node IN (SELECT id FROM gone)`,
    [node.nodeId, node.session],
  );
}
