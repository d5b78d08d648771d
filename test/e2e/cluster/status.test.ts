import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { socketRequest } from '../../helpers/control-socket.js';
import { nodeDir, startNode, writeJobOnNodes } from '../../helpers/cluster.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { writeJob } from '../../helpers/jobs.js';
import { usePostgres } from '../../helpers/postgres.js';
import { waitFor } from '../../helpers/process.js';
import type { DaemonStatus } from '../../../src/types.js';

describe('cluster: status', () => {
  const tmp = useTempDir();
  const db = usePostgres();

  it('issue 12: jobd status on any node shows the whole cluster (nodes, each job\'s last run with its node, diverged jobs) and GET /jobs/:id the history of every node; both marked stale while the database is away', async () => {
    const ids = ['st1', 'st2'];
    const dirs = await Promise.all(ids.map((id) => nodeDir(tmp().dir, id)));
    await writeJobOnNodes(dirs, 'often', { schedule: '* * * * * *', command: 'true', cwd: tmp().dir });
    await writeJobOnNodes(dirs, 'split', { schedule: '0 0 1 1 *', command: 'true', cwd: tmp().dir });
    await writeJob(join(dirs[1]!, 'jobs.d'), 'split', { schedule: '0 0 1 1 *', command: 'false', cwd: tmp().dir });
    // Only st2 may run it: st1 holds it disabled, another definition.
    await writeJob(join(dirs[1]!, 'jobs.d'), 'theirs', { schedule: '* * * * * *', command: 'echo "$JOBD_NODE_ID"', cwd: tmp().dir });
    await writeJob(join(dirs[0]!, 'jobs.d'), 'theirs', { schedule: '* * * * * *', command: 'echo "$JOBD_NODE_ID"', cwd: tmp().dir, enabled: false });
    // st2 first, so that its definitions are the published ones.
    const b = await startNode({ dir: dirs[1]!, id: 'st2', url: db().url });
    await b.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'theirs');
    const a = await startNode({ dir: dirs[0]!, id: 'st1', url: db().url });
    const status = async (dir: string): Promise<DaemonStatus> => {
      const result = await runCli(['status', '--json', '--socket', join(dir, 'jobd.sock')], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as DaemonStatus;
    };
    const seen = await waitFor(async () => {
      const s = await status(dirs[1]!);
      const ranOn = s.cluster?.lastRuns.often?.node;
      return s.cluster?.nodes.length === 2 && s.cluster.diverged.length > 0 && ranOn !== undefined ? s : undefined;
    }, { timeoutMs: 8_000, what: 'a cluster view with both nodes, a last run and a diverged job' });
    expect(seen.cluster).toMatchObject({ node: 'st2', schema: 'public', stale: false, diverged: ['split', 'theirs'] });
    for (const node of seen.cluster!.nodes) {
      expect(node).toMatchObject({ id: expect.stringMatching(/^st[12]$/), live: true, version: expect.any(String), pid: expect.any(Number) });
      expect(Math.abs(node.skewMs ?? 0)).toBeLessThan(1_000);
    }
    expect([a.daemon.pid, b.daemon.pid]).toContain(seen.cluster!.nodes[0]!.pid);
    expect(ids).toContain(seen.cluster!.lastRuns.often!.node);

    // Each node reads the cluster on its own tick: st1's copy may lag st2's by one.
    const table = await waitFor(async () => {
      const shown = await runCli(['status', '--socket', join(dirs[0]!, 'jobd.sock')], { cwd: dirs[0]! });
      return shown.code === 0 && shown.stdout.includes('diverged: theirs') ? shown : undefined;
    }, { timeoutMs: 5_000, what: 'st1 showing the diverged jobs' });
    expect(table.stdout).toMatch(/^cluster \(schema public\), this node st1, 2 live nodes, read \S+ ago$/m);
    expect(table.stdout).toMatch(/^NODE +HOST +VERSION +PID +LAST SEEN +RUNNING +SKEW$/m);
    expect(table.stdout).toMatch(/^st2 .* -?\d+ms$/m);
    expect(table.stdout).toMatch(/^often .* \S+ ago +(ok|running) on st[12]$/m);
    expect(table.stdout).toContain('diverged: split: its definition differs between live nodes');

    const detail = await waitFor(async () => {
      const reply = await socketRequest(join(dirs[0]!, 'jobd.sock'), 'GET', '/jobs/theirs');
      const body = reply.json as { history: Array<{ node?: string; status: string; stdout: string }> };
      return body.history.length >= 2 ? body : undefined;
    }, { timeoutMs: 8_000, what: 'st2\'s runs in st1\'s history of theirs' });
    for (const run of detail.history) expect(run).toMatchObject({ node: 'st2', status: 'ok', stdout: 'st2\n' });
    // issue 14: jobd status <id> shows the node of each run and the last run's output, wherever it ran.
    const shown = await runCli(['status', 'theirs', '--socket', join(dirs[0]!, 'jobd.sock')], { cwd: dirs[0]! });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^ +RUN +RESULT +STARTED +DURATION +TRIGGER +NODE$/m);
    expect(shown.stdout).toMatch(/^ +theirs-\d+ +ok +.* +schedule +st2$/m);
    expect(shown.stdout).toContain('  | st2\n');

    await db().stopImmediately();
    const away = await socketRequest(join(dirs[0]!, 'jobd.sock'), 'GET', '/jobs/theirs');
    expect(away.json).toMatchObject({ historyStale: true, history: [] });
    const shownAway = await runCli(['status', 'theirs', '--socket', join(dirs[0]!, 'jobd.sock')], { cwd: dirs[0]! });
    expect(shownAway.stdout).toContain('The cluster database is unavailable: runs of this node only.');
    const stale = await waitFor(async () => ((await status(dirs[0]!)).cluster?.stale ? true : undefined), { timeoutMs: 5_000, what: 'a stale view' });
    expect(stale).toBe(true);
    const offline = await runCli(['status', '--socket', join(dirs[0]!, 'jobd.sock')], { cwd: dirs[0]! });
    expect(offline.stdout).toContain('STALE: database unavailable');
    await db().start();
    await Promise.all([a, b].map((node) => node.daemon.stop('SIGTERM')));
  }, 40_000);
});
