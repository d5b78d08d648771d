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
  trigger: string;
  node: string;
  status: string;
  run: string | null;
}

// A lease of 6 s: self-fenced after 4 s; an outage a little longer than the lease lets it expire.
const LEASE_MS = 6_000;
const OUTAGE_MS = LEASE_MS + 1_000;

describe('cluster: database outage', () => {
  const tmp = useTempDir();
  const db = usePostgres();
  const runs = () => db().query<RunRow>('SELECT job, scheduled_at, trigger, node, status, run FROM jobd_runs ORDER BY scheduled_at');

  const startCluster = (ids: string[], jobs: Record<string, object>): Promise<ClusterNode[]> =>
    startNodes({ root: tmp().dir, url: db().url, ids, jobs });

  it('issue 12: onLeaseLoss "continue": at the self-fencing deadline the node keeps the run going and logs cluster.kept; its late result is refused by the owner token', async () => {
    const nodes = await startCluster(['c1', 'c2'], {
      keep: { schedule: '* * * * * *', command: `${recordPid(tmp().pidsDir, 'keep')}; exec sleep 14`, overlap: 'skip', onLeaseLoss: 'continue' },
    });
    const started = await Promise.any(nodes.map((node) => node.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'keep')));
    const holder = nodes.find((node) => node.id === started.node)!;
    const [child] = await readPidFile(tmp().path('pids', 'keep'));
    await sleep(1_200);
    await db().stopImmediately();
    const stoppedAt = Date.now();

    const kept = await holder.daemon.waitForEvent((e) => e.event === 'cluster.kept' && e.run === started.run, { timeoutMs: LEASE_MS + 2_000 });
    expect(kept).toMatchObject({ job: 'keep', node: holder.id, level: 'warn' });
    await sleep(1_000);
    expect(isRunning(child!), 'the child runs on past the fencing deadline').toBe(true);
    expect(holder.daemon.eventsOf('cluster.fenced').filter((e) => e.run === started.run)).toEqual([]);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
    await db().start();

    await Promise.any(nodes.map((node) => node.daemon.waitForEvent((e) => e.event === 'cluster.reaped' && e.run === started.run, { timeoutMs: 12_000 })));
    expect(isRunning(child!), 'reaping the lease does not reach the child on its own host').toBe(true);
    const end = await holder.daemon.waitForEvent((e) => e.event === 'run.end' && e.run === started.run, { timeoutMs: 12_000 });
    expect(end.status).toBe('ok');
    await holder.daemon.waitForEvent((e) => e.event === 'cluster.refused' && e.run === started.run, { timeoutMs: 5_000 });
    const [row] = await db().query<{ status: string }>('SELECT status FROM jobd_runs WHERE run = $1', [started.run]);
    expect(row?.status).toBe('interrupted');
    await Promise.all(nodes.map((node) => node.daemon.stop('SIGTERM')));
  }, 60_000);

  it('issue 12: PostgreSQL stopped and started again: LISTEN comes back, a catchUp job runs its missed fire once, a job without catchUp runs none', async () => {
    // Job and node ids of its own: the first test's nodes still look live for a lease.
    const nodes = await startCluster(['r1', 'r2'], {
      caught: { schedule: '*/2 * * * * *', command: 'true', catchUp: true },
      dropped: { schedule: '*/2 * * * * *', command: 'true' },
    });
    const listeners = () => db().query<{ name: string }>(
      `SELECT application_name AS name FROM pg_stat_activity WHERE application_name IN ('jobd r1 listen', 'jobd r2 listen')`,
    );
    await waitFor(async () => (await listeners()).length === 2, { timeoutMs: 5_000, what: 'both nodes listening' });
    await Promise.all(nodes.map((node) => node.daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'caught', { timeoutMs: 5_000 }).catch(() => null)));
    await db().stopImmediately();
    const stoppedAt = Date.now();
    await sleep(OUTAGE_MS);
    const restartAt = Date.now();
    await db().start();

    await waitFor(async () => (await listeners()).length === 2, { timeoutMs: 15_000, what: 'both LISTEN connections back' });
    await waitFor(async () => (await runs()).some((r) => r.job === 'caught' && r.trigger === 'catchup' && r.status === 'ok'), { timeoutMs: 8_000, what: 'the catch-up run' });
    await sleep(2_500);
    await Promise.all(nodes.map((node) => node.daemon.stop('SIGTERM')));

    const rows = await runs();
    const during = (r: RunRow) => r.scheduled_at.getTime() > stoppedAt + 500 && r.scheduled_at.getTime() < restartAt;
    const catchUps = rows.filter((r) => r.trigger === 'catchup');
    expect(catchUps.map((r) => r.job)).toEqual(['caught']);
    expect(during(catchUps[0]!), 'the catch-up run is a fire missed during the outage').toBe(true);
    expect(rows.filter((r) => during(r) && r.trigger !== 'catchup')).toEqual([]);
    for (const node of nodes) {
      const starts = node.daemon.eventsOf('run.start').filter((e) => Date.parse(String(e.time)) > stoppedAt + 500 && Date.parse(String(e.time)) < restartAt);
      expect(starts, `${node.id} started a run during the outage`).toEqual([]);
    }
    const caught = rows.filter((r) => r.job === 'caught').map((r) => r.scheduled_at.getTime());
    expect(new Set(caught).size).toBe(caught.length);
    expect(rows.filter((r) => r.job === 'dropped' && r.scheduled_at.getTime() > restartAt).length).toBeGreaterThan(0);
  }, 60_000);
});
