import { describe, expect, it } from 'vitest';
import { nodeDir, startNode, writeJobOnNodes } from '../../helpers/cluster.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { recordPid } from '../../helpers/jobs.js';
import { usePostgres } from '../../helpers/postgres.js';
import { isRunning, sleep, waitFor } from '../../helpers/process.js';
import { readPidFile } from '../../helpers/temp-dir.js';

const LEASE_MS = 6_000;

describe('cluster: a killed node restarts', () => {
  const tmp = useTempDir();
  const db = usePostgres();

  it('issue 12: kill -9 of a node mid-run, then its restart: its orphaned process group is stopped, and it never re-runs or re-claims the reaped fire', async () => {
    const ids = ['o1', 'o2'];
    const dirs = await Promise.all(ids.map((id) => nodeDir(tmp().dir, id)));
    // The child starts a grandchild of its own: the whole group must be stopped, not only the shell.
    const command = `${recordPid(tmp().pidsDir, 'long')}; sleep 60 & echo $! >> '${tmp().path('pids', 'long')}'; wait`;
    await writeJobOnNodes(dirs, 'long', { schedule: '* * * * * *', command, overlap: 'skip', cwd: tmp().dir });
    const nodes = await Promise.all(ids.map((id, i) => startNode({ dir: dirs[i]!, id, url: db().url })));
    const started = await Promise.any(nodes.map((node) => node.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'long')));
    const victim = nodes.find((node) => node.id === started.node)!;
    const survivor = nodes.find((node) => node !== victim)!;
    const pids = await waitFor(async () => {
      const found = await readPidFile(tmp().path('pids', 'long')).catch(() => []);
      return found.length >= 2 ? found : undefined;
    }, { timeoutMs: 3_000, what: 'the run and its grandchild' });
    await victim.daemon.kill9();
    for (const pid of pids) expect(isRunning(pid), 'the orphans outlive their node').toBe(true);

    await survivor.daemon.waitForEvent((e) => e.event === 'cluster.reaped' && e.run === started.run, { timeoutMs: LEASE_MS + 4_000 });
    // The dead node's heartbeat must be older than a lease before its id may join again.
    await sleep(1_500);
    const restarted = await startNode({ dir: victim.dir, id: victim.id, url: db().url });
    for (const pid of pids) await waitFor(() => !isRunning(pid), { timeoutMs: 8_000, what: `orphan ${pid} stopped on restart` });
    await sleep(3_000);
    await Promise.all([restarted, survivor].map((node) => node.daemon.stop('SIGTERM')));

    const scheduledAt = String(started.scheduledAt);
    expect(restarted.daemon.eventsOf('run.start').filter((e) => e.scheduledAt === scheduledAt)).toEqual([]);
    expect(survivor.daemon.eventsOf('run.start').filter((e) => e.scheduledAt === scheduledAt && e.job === 'long')).toEqual([]);
    const rows = await db().query<{ status: string; node: string; run: string; error: string }>(
      "SELECT status, node, run, error FROM jobd_runs WHERE job = 'long' AND scheduled_at = $1", [new Date(scheduledAt)],
    );
    expect(rows).toEqual([{ status: 'interrupted', node: victim.id, run: started.run, error: `lease expired: node ${victim.id} stopped renewing it` }]);
  }, 60_000);
});
