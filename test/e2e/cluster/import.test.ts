import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { nodeDir, startNode, writeJobOnNodes } from '../../helpers/cluster.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { usePostgres } from '../../helpers/postgres.js';
import { sleep } from '../../helpers/process.js';
import { startDaemon } from '../../helpers/start-daemon.js';

describe('cluster: the state file on first start', () => {
  const tmp = useTempDir();
  const db = usePostgres();

  it('issue 12: first start with --cluster imports the state file\'s run counts, last fires and pauses, without overwriting what the cluster has', async () => {
    const dir = await nodeDir(tmp().dir, 'solo');
    await writeJobOnNodes([dir], 'limited', { schedule: '* * * * * *', command: 'true', maxRuns: 3, cwd: tmp().dir });
    await writeJobOnNodes([dir], 'held', { schedule: '* * * * * *', command: 'true', cwd: tmp().dir });
    const single = await startDaemon({ dir });
    await single.waitForEvents((e) => e.event === 'run.end' && e.job === 'limited', 2, { timeoutMs: 8_000 });
    const paused = await runCli(['pause', 'held', '--socket', join(dir, 'jobd.sock')], { cwd: dir });
    expect(paused.code, paused.stderr).toBe(0);
    await sleep(300);
    await single.stop('SIGTERM');
    const ranAlone = single.eventsOf('run.start', 'limited').length;
    expect(ranAlone).toBe(2);

    const node = await startNode({ dir, id: 'solo', url: db().url });
    await sleep(3_500);
    await node.daemon.stop('SIGTERM');
    expect(node.daemon.eventsOf('run.start', 'limited')).toHaveLength(1);
    expect(node.daemon.eventsOf('run.start', 'held')).toHaveLength(0);
    const jobs = await db().query<{ id: string; run_count: string; paused: boolean; last_fire_at: Date | null }>(
      'SELECT id, run_count, paused, last_fire_at FROM jobd_jobs ORDER BY id',
    );
    const heldAlone = single.eventsOf('run.start', 'held').length;
    expect(jobs.map((j) => [j.id, Number(j.run_count), j.paused])).toEqual([['held', heldAlone, true], ['limited', 3, false]]);
    expect(jobs.find((j) => j.id === 'held')!.last_fire_at).not.toBeNull();

    // Now the cluster holds these jobs: a second state file does not change them.
    const other = await nodeDir(tmp().dir, 'other');
    await writeJobOnNodes([other], 'held', { schedule: '* * * * * *', command: 'true', cwd: tmp().dir });
    const second = await startNode({ dir: other, id: 'other', url: db().url });
    await sleep(1_500);
    await second.daemon.stop('SIGTERM');
    expect(second.daemon.eventsOf('run.start', 'held')).toHaveLength(0);
    const [held] = await db().query<{ paused: boolean }>("SELECT paused FROM jobd_jobs WHERE id = 'held'");
    expect(held!.paused).toBe(true);
  }, 40_000);
});
