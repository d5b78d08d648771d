import { describe, expect, it } from 'vitest';
import { type ClusterNode, startNodes } from '../../helpers/cluster.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { recordPid } from '../../helpers/jobs.js';
import { usePostgres } from '../../helpers/postgres.js';
import { isRunning, sleep, waitFor } from '../../helpers/process.js';
import { readPidFile } from '../../helpers/temp-dir.js';

interface RunRow {
  job: string;
  scheduled_at: Date;
  node: string;
  status: string;
  run: string | null;
  pid: number | null;
  error: string | null;
}

// A lease of 6 s: renewed every second, self-fenced after 4 s, reaped within a second of expiry.
const LEASE_MS = 6_000;

describe('cluster: liveness', () => {
  const tmp = useTempDir();
  const db = usePostgres();
  const runs = () => db().query<RunRow>('SELECT job, scheduled_at, node, status, run, pid, error FROM jobd_runs ORDER BY scheduled_at');

  const startCluster = (ids: string[], jobs: Record<string, object>): Promise<ClusterNode[]> =>
    startNodes({ root: tmp().dir, url: db().url, ids, jobs });

  it('issue 12: kill -9 of a node mid-run: the others keep every later fire; its run becomes interrupted within lease + reap and is never re-run', async () => {
    const nodes = await startCluster(['k1', 'k2', 'k3'], {
      tick: { schedule: '* * * * * *', command: 'true' },
      long: { schedule: '* * * * * *', command: `${recordPid(tmp().pidsDir, 'long')}; exec sleep 60`, overlap: 'skip' },
    });
    const longStart = await Promise.any(nodes.map((node) => node.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'long')));
    const victim = nodes.find((node) => node.id === longStart.node)!;
    const survivors = nodes.filter((node) => node !== victim);
    await sleep(1_500);
    const killedAt = Date.now();
    await victim.daemon.kill9();
    const [orphan] = await readPidFile(tmp().path('pids', 'long'));
    expect(isRunning(orphan!), 'the child of the killed node outlives it (detached), as with a host gone').toBe(true);

    const interrupted = await waitFor(
      async () => (await runs()).find((r) => r.job === 'long' && r.node === victim.id && r.status === 'interrupted'),
      { timeoutMs: LEASE_MS + 4_000, what: 'the killed node\'s run marked interrupted' },
    );
    expect(Date.now() - killedAt).toBeLessThan(LEASE_MS + 4_000);
    expect(interrupted.error).toBe(`lease expired: node ${victim.id} stopped renewing it`);
    const reaped = survivors.flatMap((node) => node.daemon.eventsOf('cluster.reaped'));
    expect(reaped.filter((e) => e.job === 'long')).toEqual([expect.objectContaining({ node: victim.id, run: interrupted.run })]);

    // Once the lease is gone the job is free again: a survivor runs its next fire, not the old one.
    await waitFor(async () => (await runs()).some((r) => r.job === 'long' && r.node !== victim.id), { timeoutMs: 5_000, what: 'a survivor running long' });
    await sleep(3_000);
    const checkedUntil = Date.now() - 1_500;
    await Promise.all(survivors.map((node) => node.daemon.stop('SIGTERM')));

    const rows = await runs();
    const longRows = rows.filter((r) => r.job === 'long');
    expect(longRows.filter((r) => r.scheduled_at.getTime() === interrupted.scheduled_at.getTime())).toHaveLength(1);
    const ticks = rows.filter((r) => r.job === 'tick').map((r) => r.scheduled_at.getTime());
    expect(new Set(ticks).size).toBe(ticks.length);
    const after = ticks.filter((at) => at > killedAt + 1_000 && at <= checkedUntil);
    expect(after.length).toBeGreaterThanOrEqual(Math.floor((checkedUntil - killedAt) / 1000) - 2);
    for (let k = 1; k < after.length; k += 1) expect(after[k]! - after[k - 1]!, 'a tick missing after the kill').toBe(1000);
    for (const row of rows.filter((r) => r.job === 'tick' && r.scheduled_at.getTime() > killedAt + 1_000)) expect(row.node).not.toBe(victim.id);
    const victimRuns = new Set(rows.filter((r) => r.node === victim.id).map((r) => r.run));
    for (const node of survivors) {
      for (const start of node.daemon.eventsOf('run.start')) expect(victimRuns.has(String(start.run)) && start.node === victim.id).toBe(false);
    }
  }, 60_000);

  it('issue 12: PostgreSQL stopped: nothing fires, cluster.unavailable is logged, running children are stopped at the self-fencing deadline; firing resumes after restart', async () => {
    // Job ids of its own: the node the first test killed still looks live for a lease, and a
    // definition published while another node is live is not overwritten.
    const nodes = await startCluster(['p1', 'p2'], {
      beat: { schedule: '* * * * * *', command: 'true' },
      hold: { schedule: '* * * * * *', command: `${recordPid(tmp().pidsDir, 'hold')}; exec sleep 60`, overlap: 'skip' },
    });
    const longStart = await Promise.any(nodes.map((node) => node.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'hold')));
    const holder = nodes.find((node) => node.id === longStart.node)!;
    await sleep(1_200);
    const marks = nodes.map((node) => node.daemon.mark());
    await db().stopImmediately();
    const stoppedAt = Date.now();

    const fenced = await holder.daemon.waitForEvent((e) => e.event === 'cluster.fenced' && e.run === longStart.run, { timeoutMs: LEASE_MS + 2_000 });
    const fencedAfter = Date.parse(String(fenced.time)) - stoppedAt;
    expect(fencedAfter).toBeGreaterThan((LEASE_MS * 2) / 3 - 2_000);
    expect(fencedAfter).toBeLessThan(LEASE_MS);
    const end = await holder.daemon.waitForEvent((e) => e.event === 'run.end' && e.run === longStart.run, { timeoutMs: 5_000 });
    expect(end.status).toBe('interrupted');
    const [child] = await readPidFile(tmp().path('pids', 'hold'));
    await waitFor(() => !isRunning(child!), { timeoutMs: 3_000, what: 'the fenced child stopped' });
    await sleep(LEASE_MS - fencedAfter);

    const restartAt = Date.now();
    for (const [i, node] of nodes.entries()) {
      const during = node.daemon.events.slice(marks[i]);
      expect(during.filter((e) => e.event === 'run.start' && Date.parse(String(e.time)) > stoppedAt + 500), `${node.id} fired during the outage`).toEqual([]);
      expect(during.filter((e) => e.event === 'cluster.unavailable').length).toBeGreaterThan(0);
      // Backoff: a handful of error lines for several seconds of failing claims and renewals, not one per attempt.
      expect(during.filter((e) => e.event === 'cluster.unavailable').length).toBeLessThan(6);
    }
    await db().start();
    for (const node of nodes) {
      await node.daemon.waitForEvent((e) => e.event === 'cluster.available', { timeoutMs: 10_000, after: marks[nodes.indexOf(node)] });
    }
    await Promise.any(nodes.map((node) => node.daemon.waitForEvent(
      (e) => e.event === 'run.start' && e.job === 'beat' && Date.parse(String(e.time)) > restartAt, { timeoutMs: 10_000 },
    )));
    await sleep(2_000);
    await Promise.all(nodes.map((node) => node.daemon.stop('SIGTERM')));
    const rows = await runs();
    const outage = rows.filter((r) => r.scheduled_at.getTime() > stoppedAt + 500 && r.scheduled_at.getTime() < restartAt);
    expect(outage).toEqual([]);
    const ticks = rows.filter((r) => r.job === 'beat').map((r) => r.scheduled_at.getTime());
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ticks.filter((at) => at > restartAt).length).toBeGreaterThan(0);
  }, 60_000);
});
