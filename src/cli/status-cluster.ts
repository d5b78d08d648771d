import type { ClusterView } from '../types.js';

/** The cluster part of `jobd status`: a header line, the nodes table and diverged jobs. */
export function clusterLines(view: ClusterView, now: number, ago: (ms: number) => string): string[] {
  const read = view.readAt === null ? 'not read yet' : `read ${ago(now - Date.parse(view.readAt))} ago`;
  const header = `cluster (schema ${view.schema}), this node ${view.node}, ${view.nodes.filter((n) => n.live).length} live nodes, ${read}${view.stale ? ', STALE: database unavailable' : ''}`;
  const rows = [
    ['NODE', 'HOST', 'VERSION', 'PID', 'LAST SEEN', 'RUNNING', 'SKEW'],
    ...view.nodes.map((n) => [
      n.id, n.host, n.version, String(n.pid), `${ago(now - Date.parse(n.lastSeen))} ago${n.live ? '' : ' (gone)'}`, String(n.running),
      n.skewMs === null ? '-' : `${n.skewMs}ms`,
    ]),
  ];
  const diverged = view.diverged.map((job) => `diverged: ${job}: its definition differs between live nodes`);
  return [header, ...alignRows(rows), ...diverged];
}

/** The last run of a job in a cluster, wherever it ran: when, its result with the node, its status. */
export function lastRunOnNode(view: ClusterView, job: string): { at: string; result: string; status: string } | null {
  const last = view.lastRuns[job];
  if (!last) return null;
  return { at: last.scheduledAt, result: `${last.status} on ${last.node}`, status: last.status };
}

/** Rows padded to their columns' widths. */
export function alignRows(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}
