import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { type ClusterNode, startNodes } from '../../helpers/cluster.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { usePostgres } from '../../helpers/postgres.js';
import { sleep, waitFor } from '../../helpers/process.js';
import type { DaemonStatus } from '../../../src/types.js';

describe('cluster: control from any node', () => {
  const tmp = useTempDir();
  const db = usePostgres();
  const cli = (node: ClusterNode, ...args: string[]) => runCli([...args, '--socket', join(node.dir, 'jobd.sock')], { cwd: node.dir });

  const startCluster = (ids: string[], jobs: Record<string, object>): Promise<ClusterNode[]> =>
    startNodes({ root: tmp().dir, url: db().url, ids, jobs });

  it('issue 12: pause on one node stops every node within 1 s, also with their LISTEN connections killed; resume on another starts them again', async () => {
    const nodes = await startCluster(['c1', 'c2', 'c3'], { tick: { schedule: '* * * * * *', command: 'true' } });
    await Promise.any(nodes.map((node) => node.daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'tick')));
    const listenersOf = "SELECT application_name AS name FROM pg_stat_activity WHERE application_name IN ('jobd c2 listen', 'jobd c3 listen') ORDER BY 1";
    await waitFor(async () => (await db().query(listenersOf)).length === 2, { timeoutMs: 5_000, what: 'c2 and c3 listening' });
    // The notification of the pause cannot reach c2 and c3: their LISTEN connections are gone.
    const terminated = await db().query<{ name: string; terminated: boolean }>(
      `SELECT application_name AS name, pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
       WHERE application_name IN ('jobd c2 listen', 'jobd c3 listen') ORDER BY 1`,
    );
    expect(terminated).toEqual([{ name: 'jobd c2 listen', terminated: true }, { name: 'jobd c3 listen', terminated: true }]);
    const paused = await cli(nodes[0]!, 'pause', 'tick');
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toBe('tick: paused\n');
    const pausedAt = Date.now();
    for (const node of nodes.slice(1)) {
      await waitFor(async () => {
        const status = JSON.parse((await cli(node, 'status', '--json')).stdout) as DaemonStatus;
        return status.jobs.find((j) => j.id === 'tick')?.state === 'paused';
      }, { timeoutMs: 5_000, what: `${node.id} showing tick paused` });
    }
    await sleep(2_000);
    const late = nodes.flatMap((node) => node.daemon.eventsOf('run.start', 'tick')).filter((e) => Date.parse(String(e.scheduledAt)) > pausedAt + 1_000);
    expect(late).toEqual([]);

    const resumedAt = Date.now();
    const resumed = await cli(nodes[1]!, 'resume', 'tick');
    expect(resumed.code, resumed.stderr).toBe(0);
    await Promise.any(nodes.map((node) => node.daemon.waitForEvent(
      (e) => e.event === 'run.start' && e.job === 'tick' && Date.parse(String(e.scheduledAt)) > resumedAt, { timeoutMs: 5_000 },
    )));
    await Promise.all(nodes.map((node) => node.daemon.stop('SIGTERM')));
    const rows = await db().query<{ scheduled_at: Date }>("SELECT scheduled_at FROM jobd_runs WHERE job = 'tick' AND trigger = 'schedule'");
    expect(rows.filter((r) => r.scheduled_at.getTime() > pausedAt + 1_000 && r.scheduled_at.getTime() < resumedAt)).toEqual([]);
  }, 40_000);

  it('issue 12: cancel on one node stops the run wherever it runs; run-now on another runs once, there, and is answered skipped when the job runs elsewhere', async () => {
    const nodes = await startCluster(['x1', 'x2', 'x3'], {
      long: { schedule: '* * * * * *', command: 'sleep 60', overlap: 'skip' },
      manual: { schedule: '0 0 1 1 *', command: 'echo "$JOBD_NODE_ID $JOBD_TRIGGER"' },
    });
    const started = await Promise.any(nodes.map((node) => node.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'long')));
    const holder = nodes.find((node) => node.id === started.node)!;
    const asker = nodes.find((node) => node !== holder)!;
    const elsewhere = await cli(asker, 'run', 'long', '--wait');
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toMatch(/^long-\d+: skipped\n$/);
    const cancelled = await cli(asker, 'cancel', 'long');
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toBe(`cancelled ${String(started.run)}\n`);
    const end = await holder.daemon.waitForEvent((e) => e.event === 'run.end' && e.run === started.run, { timeoutMs: 5_000 });
    expect(end.status).toBe('cancelled');

    const runner = nodes[1]!;
    const ran = await cli(runner, 'run', 'manual', '--wait');
    expect(ran.code, ran.stderr).toBe(0);
    await sleep(1_000);
    await Promise.all(nodes.map((node) => node.daemon.stop('SIGTERM')));
    const rows = await db().query<{ node: string; trigger: string; status: string; stdout: string }>(
      "SELECT node, trigger, status, stdout FROM jobd_runs WHERE job = 'manual'",
    );
    expect(rows).toEqual([{ node: runner.id, trigger: 'manual', status: 'ok', stdout: `${runner.id} manual\n` }]);
    const [longRow] = await db().query<{ status: string }>('SELECT status FROM jobd_runs WHERE run = $1', [started.run]);
    expect(longRow!.status).toBe('cancelled');
  }, 40_000);

  it('issue 12: with the database unreachable, pause, resume, cancel and run answer 503 (one clear line, exit 1) and status answers from its copy marked stale', async () => {
    const [node] = await startCluster(['u1'], { away: { schedule: '* * * * * *', command: 'true' } });
    await node!.daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'away');
    const statusOf = async () => JSON.parse((await cli(node!, 'status', '--json')).stdout) as DaemonStatus;
    await waitFor(async () => (await statusOf()).cluster?.lastRuns.away, { what: 'a cluster view with the job\'s last run' });
    await db().stopImmediately();
    try {
      await node!.daemon.waitForEvent('cluster.unavailable', { timeoutMs: 5_000 });
      const refused = {
        pause: 'job "away" not paused', resume: 'job "away" not resumed', cancel: 'job "away" not cancelled', run: 'job "away" not started',
      };
      for (const [command, what] of Object.entries(refused)) {
        const answer = await cli(node!, command, 'away');
        expect([answer.code, answer.stdout, answer.stderr], `jobd ${command}`).toEqual([1, '', `jobd: ${what}: the cluster database is unavailable\n`]);
      }
      const waited = await cli(node!, 'run', 'away', '--wait');
      expect([waited.code, waited.stderr]).toEqual([1, 'jobd: job "away" not started: the cluster database is unavailable\n']);
      expect(node!.daemon.eventsOf('job.paused')).toEqual([]);

      const status = await waitFor(async () => {
        const shown = await statusOf();
        return shown.cluster?.stale ? shown : undefined;
      }, { timeoutMs: 5_000, what: 'status marked stale' });
      expect(status.jobs.find((j) => j.id === 'away')).toMatchObject({ state: 'scheduled' });
      expect(status.cluster).toMatchObject({ node: 'u1', stale: true, lastRuns: { away: { node: 'u1' } } });
      expect(status.cluster!.nodes.map((n) => n.id)).toContain('u1');
      const table = await cli(node!, 'status');
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toMatch(/^cluster \(schema public\), this node u1, \d+ live nodes, read \S+ ago, STALE: database unavailable$/m);
      expect(table.stdout).toMatch(/^away +\* \* \* \* \* \* +scheduled .* on u1$/m);
    } finally {
      await db().start();
    }
    await node!.daemon.stop('SIGTERM');
  }, 40_000);
});
