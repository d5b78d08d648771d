import type { ClusterLastRun, ClusterNodeStatus, ClusterReport, ClusterView } from '../types.js';
import type { Database } from './connection.js';
import type { NodeIdentity } from './nodes.js';

/** Above this, a node's clock is reported as skewed. */
const SKEW_WARN_MS = 1_000;

/** Keeps a copy of the cluster's nodes, last runs and diverged jobs, read every sixth of a lease. */
export interface ViewKeeper {
  view(): ClusterView;
  stop(): void;
}

interface ViewInput {
  db: Database;
  schema: string;
  schemaName: string;
  node: NodeIdentity;
  leaseMs: number;
  report(report: ClusterReport): void;
}

/** Reads the view now and every sixth of a lease; `view()` is marked stale when the last read failed or is older than a lease. */
export function startViewKeeper(input: ViewInput): ViewKeeper {
  let current: ClusterView = { node: input.node.nodeId, schema: input.schemaName, readAt: null, stale: true, nodes: [], lastRuns: {}, diverged: [] };
  let readAtMono = 0;
  let skewed = false;
  let busy = false;

  const noteSkew = (skewMs: number): void => {
    const { db, schema: S, node } = input;
    void db.query(`UPDATE ${S}.jobd_nodes SET skew_ms = $3 WHERE id = $1 AND session = $2`, [node.nodeId, node.session, skewMs]);
    const now = Math.abs(skewMs) > SKEW_WARN_MS;
    if (now !== skewed) input.report({ kind: 'skew', skewMs });
    skewed = now;
  };

  const tick = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const read = await readView(input, current);
      current = read.view;
      if (read.fresh) readAtMono = performance.now();
      if (read.skewMs !== null) noteSkew(read.skewMs);
    } finally {
      busy = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), Math.max(100, Math.floor(input.leaseMs / 6)));
  timer.unref();
  return {
    view: () => (performance.now() - readAtMono > input.leaseMs ? { ...current, stale: true } : current),
    stop: () => clearInterval(timer),
  };
}

async function readView(input: ViewInput, previous: ClusterView): Promise<{ view: ClusterView; fresh: boolean; skewMs: number | null }> {
  const { db, schema: S, leaseMs } = input;
  const sentAt = Date.now();
  const nodes = await db.query<NodeRow>(
    `SELECT n.id, n.host, n.version, n.pid, n.started_at, n.last_seen, n.skew_ms, now() AS db_now,
       n.last_seen > now() - $1 * interval '1 millisecond' AS live,
       (SELECT count(*) FROM ${S}.jobd_runs r WHERE r.node = n.id AND r.status = 'running')::int AS running
     FROM ${S}.jobd_nodes n ORDER BY n.id LIMIT 1000`,
    [leaseMs],
  );
  const receivedAt = Date.now();
  if (nodes === null) return { view: { ...previous, stale: true }, fresh: false, skewMs: null };
  const lastRuns = await db.query<LastRunRow>(
    `SELECT j.id AS job, r.run, r.node, r.status, r.scheduled_at, r.ended_at FROM ${S}.jobd_jobs j
     CROSS JOIN LATERAL (SELECT run, node, status, scheduled_at, ended_at FROM ${S}.jobd_runs
                         WHERE job = j.id ORDER BY claimed_at DESC LIMIT 1) r
     ORDER BY j.id LIMIT 100000`,
    [],
  );
  const diverged = await db.query<{ job: string }>(
    `SELECT nj.job FROM ${S}.jobd_node_jobs nj
     JOIN ${S}.jobd_nodes n ON n.id = nj.node AND n.last_seen > now() - $1 * interval '1 millisecond'
     JOIN ${S}.jobd_jobs j ON j.id = nj.job
     GROUP BY nj.job HAVING count(DISTINCT nj.definition_hash) > 1 OR bool_or(nj.definition_hash <> j.definition_hash)
     ORDER BY nj.job LIMIT 10000`,
    [leaseMs],
  );
  const dbNow = nodes[0]?.db_now.getTime() ?? null;
  const view: ClusterView = {
    ...previous,
    readAt: new Date(receivedAt).toISOString(),
    stale: lastRuns === null || diverged === null,
    nodes: nodes.map(nodeStatus),
    lastRuns: lastRuns === null ? previous.lastRuns : Object.fromEntries(lastRuns.map((r) => [r.job, lastRun(r)])),
    diverged: diverged === null ? previous.diverged : diverged.map((r) => r.job),
  };
  // Half the round trip is the best guess of when the database read its clock.
  return { view, fresh: !view.stale, skewMs: dbNow === null ? null : Math.round((sentAt + receivedAt) / 2 - dbNow) };
}

interface NodeRow {
  id: string; host: string; version: string; pid: number; started_at: Date; last_seen: Date; skew_ms: number | null;
  db_now: Date; live: boolean; running: number;
}

interface LastRunRow {
  job: string; run: string | null; node: string; status: string; scheduled_at: Date; ended_at: Date | null;
}

function nodeStatus(row: NodeRow): ClusterNodeStatus {
  return {
    id: row.id, host: row.host, version: row.version, pid: row.pid, startedAt: row.started_at.toISOString(),
    lastSeen: row.last_seen.toISOString(), live: row.live, running: row.running, skewMs: row.skew_ms,
  };
}

function lastRun(row: LastRunRow): ClusterLastRun {
  return { run: row.run, node: row.node, status: row.status, scheduledAt: row.scheduled_at.toISOString(), endedAt: row.ended_at?.toISOString() ?? null };
}
