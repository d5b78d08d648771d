import { describe, expect, it } from 'vitest';
import { nodeDir, startNode, writeJobOnNodes } from '../../helpers/cluster.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { recordPid } from '../../helpers/jobs.js';
import { usePostgres } from '../../helpers/postgres.js';
import { isRunning, sleep, waitFor } from '../../helpers/process.js';
import { readPidFile } from '../../helpers/temp-dir.js';

const LEASE_MS = 6_000;

describe('cluster: fencing', () => {
  const tmp = useTempDir();
  const db = usePostgres();

  it('issue 12: a node stopped (SIGSTOP) past its lease, then continued: its child is stopped and its late result is refused by the owner token', async () => {
    const ids = ['s1', 's2'];
    const dirs = await Promise.all(ids.map((id) => nodeDir(tmp().dir, id)));
    await writeJobOnNodes(dirs, 'long', { schedule: '* * * * * *', command: `${recordPid(tmp().pidsDir, 'long')}; exec sleep 60`, overlap: 'skip', cwd: tmp().dir });
    const nodes = await Promise.all(ids.map((id, i) => startNode({ dir: dirs[i]!, id, url: db().url })));
    const started = await Promise.any(nodes.map((node) => node.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'long')));
    const frozen = nodes.find((node) => node.id === started.node)!;
    const other = nodes.find((node) => node !== frozen)!;
    const [child] = await readPidFile(tmp().path('pids', 'long'));

    process.kill(frozen.daemon.pid, 'SIGSTOP');
    await other.daemon.waitForEvent((e) => e.event === 'cluster.reaped' && e.run === started.run, { timeoutMs: LEASE_MS + 4_000 });
    expect(isRunning(child!), 'a frozen node cannot stop its child').toBe(true);
    const mark = frozen.daemon.mark();
    process.kill(frozen.daemon.pid, 'SIGCONT');

    const fenced = await frozen.daemon.waitForEvent((e) => e.event === 'cluster.fenced' && e.run === started.run, { after: mark, timeoutMs: 5_000 });
    expect(fenced.reason).toMatch(/^lease (not renewed for 4000 ms|taken away: the run was reaped)$/);
    const end = await frozen.daemon.waitForEvent((e) => e.event === 'run.end' && e.run === started.run, { after: mark, timeoutMs: 5_000 });
    expect(end.status).toBe('interrupted');
    await waitFor(() => !isRunning(child!), { timeoutMs: 3_000, what: 'the frozen node\'s child stopped once it ran again' });
    const refused = await frozen.daemon.waitForEvent((e) => e.event === 'cluster.refused' && e.run === started.run, { after: mark, timeoutMs: 5_000 });
    expect(refused).toMatchObject({ job: 'long', node: frozen.id, status: 'interrupted' });
    await sleep(500);
    const [row] = await db().query<{ status: string; error: string; node: string }>('SELECT status, error, node FROM jobd_runs WHERE run = $1', [started.run]);
    expect(row).toEqual({ status: 'interrupted', error: `lease expired: node ${frozen.id} stopped renewing it`, node: frozen.id });
    await Promise.all(nodes.map((node) => node.daemon.stop('SIGTERM')));
  }, 45_000);
});
