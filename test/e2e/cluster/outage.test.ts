import { describe, expect, it } from 'vitest';
import { type ClusterNode, startNodes } from '../../helpers/cluster.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { recordPid } from '../../helpers/jobs.js';
import { usePostgres } from '../../helpers/postgres.js';
import { isRunning, sleep, waitFor, waitForExit } from '../../helpers/process.js';
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
// jobd's defaults: a 30 s lease renewed every 5 s, self-fenced after 20 s without a renewal.
const DEFAULT_LEASE_MS = 30_000;
const RENEW_EVERY_MS = 5_000;
const FENCED_AFTER_MS = 20_000;
const OUTAGE_AT_DEFAULTS_MS = 30_000;

describe('cluster: database outage', () => {
  const tmp = useTempDir();
  const db = usePostgres();
  const runs = () => db().query<RunRow>('SELECT job, scheduled_at, trigger, node, status, run FROM jobd_runs ORDER BY scheduled_at');

  const startCluster = (ids: string[], jobs: Record<string, object>, lease?: string | null): Promise<ClusterNode[]> =>
    startNodes({ root: tmp().dir, url: db().url, ids, jobs, lease });

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

  it('issue 12: PostgreSQL stopped for 30 s with the default lease: nothing fires, the running child is stopped at the self-fencing deadline, LISTEN comes back, a catchUp job runs its missed fire once', async () => {
    // Job and node ids of its own: the first test's nodes still look live for a lease.
    const nodes = await startCluster(['r1', 'r2'], {
      long: { schedule: '* * * * * *', command: `${recordPid(tmp().pidsDir, 'long')}; exec sleep 120`, overlap: 'skip' },
      // Its first run is still going when the database stops; its end is written once it is back.
      caught: { schedule: '*/2 * * * * *', command: '[ -e caught-once ] || { touch caught-once; sleep 2; }', catchUp: true },
      dropped: { schedule: '*/2 * * * * *', command: 'true' },
    }, null);
    for (const node of nodes) expect(node.daemon.eventsOf('cluster.joined')[0]).toMatchObject({ leaseMs: DEFAULT_LEASE_MS });
    const listeners = () => db().query<{ name: string }>(
      `SELECT application_name AS name FROM pg_stat_activity WHERE application_name IN ('jobd r1 listen', 'jobd r2 listen')`,
    );
    await waitFor(async () => (await listeners()).length === 2, { timeoutMs: 5_000, what: 'both nodes listening' });
    const started = await Promise.any(nodes.map((node) => node.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'long')));
    const holder = nodes.find((node) => node.id === started.node)!;
    const first = await Promise.any(nodes.map((node) => node.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'caught', { timeoutMs: 5_000 })));
    const [child] = await waitFor(() => readPidFile(tmp().path('pids', 'long')).then((pids) => (pids.length > 0 ? pids : undefined)));
    await db().stopImmediately();
    const stoppedAt = Date.now();
    const firstEnd = await Promise.any(nodes.map((node) => node.daemon.waitForEvent((e) => e.event === 'run.end' && e.run === first.run && e.node === first.node, { timeoutMs: 5_000 })));
    expect(firstEnd.status, 'the first caught run ended during the outage').toBe('ok');

    // The lease was last renewed at most a sixth of it (5 s) before the outage: the run is fenced
    // 20 s after that renewal, on the next lease tick, so between 15 and 25 s into the outage.
    await sleep(FENCED_AFTER_MS - RENEW_EVERY_MS - 1_000);
    expect(isRunning(child!), 'the child runs until the self-fencing deadline').toBe(true);
    const fenced = await holder.daemon.waitForEvent((e) => e.event === 'cluster.fenced' && e.run === started.run, { timeoutMs: 2 * RENEW_EVERY_MS + 4_000 });
    const fencedAfter = Date.parse(String(fenced.time)) - stoppedAt;
    expect(fencedAfter).toBeGreaterThanOrEqual(FENCED_AFTER_MS - RENEW_EVERY_MS);
    expect(fencedAfter, 'fenced before the lease could expire').toBeLessThan(DEFAULT_LEASE_MS - 2_000);
    expect(fenced).toMatchObject({ job: 'long', node: holder.id, reason: `lease not renewed for ${FENCED_AFTER_MS} ms` });
    await waitForExit([child!]);
    const end = await holder.daemon.waitForEvent((e) => e.event === 'run.end' && e.run === started.run);
    expect(end.status).toBe('interrupted');
    await sleep(Math.max(0, OUTAGE_AT_DEFAULTS_MS - (Date.now() - stoppedAt)));
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
    expect(rows.find((r) => r.run === started.run)?.status).toBe('interrupted');
    // Its end was written when the database came back, or the lease had run out and it was reaped first: never left running.
    expect(['ok', 'interrupted']).toContain(rows.find((r) => r.job === 'caught' && r.run === first.run && r.node === first.node)?.status);
  }, 75_000);
});
