import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { nodeDir, startNode, writeJobOnNodes } from '../../helpers/cluster.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { usePostgres } from '../../helpers/postgres.js';
import { readState } from '../../helpers/jobs.js';
import { sleep, waitFor } from '../../helpers/process.js';
import { startDaemon } from '../../helpers/start-daemon.js';
import type { DaemonStatus } from '../../../src/types.js';

describe('cluster: the state file on first start', () => {
  const tmp = useTempDir();
  const db = usePostgres();

  it('issue 12: first start with --cluster imports the state file\'s run counts, last fires and pauses; a second node\'s conflicting state file overwrites nothing the cluster has', async () => {
    const dir = await nodeDir(tmp().dir, 'solo');
    await writeJobOnNodes([dir], 'limited', { schedule: '* * * * * *', command: 'true', maxRuns: 3, cwd: tmp().dir });
    await writeJobOnNodes([dir], 'held', { schedule: '* * * * * *', command: 'true', cwd: tmp().dir });
    const single = await startDaemon({ dir });
    await single.waitForEvents((e) => e.event === 'run.end' && e.job === 'limited', 2, { timeoutMs: 8_000 });
    const paused = await runCli(['pause', 'held', '--socket', join(dir, 'jobd.sock')], { cwd: dir });
    expect(paused.code, paused.stderr).toBe(0);
    await sleep(300);
    await single.stop('SIGTERM');
    // A slow machine may let a third run start before the daemon stops: the cluster runs what is left of 3.
    const ranAlone = single.eventsOf('run.start', 'limited').length;
    expect([2, 3]).toContain(ranAlone);

    const node = await startNode({ dir, id: 'solo', url: db().url });
    await sleep(3_500);
    await node.daemon.stop('SIGTERM');
    expect(node.daemon.eventsOf('run.start', 'limited')).toHaveLength(3 - ranAlone);
    expect(node.daemon.eventsOf('run.start', 'held')).toHaveLength(0);
    const jobs = await db().query<{ id: string; run_count: string; paused: boolean; last_fire_at: Date | null }>(
      'SELECT id, run_count, paused, last_fire_at FROM jobd_jobs ORDER BY id',
    );
    const heldAlone = single.eventsOf('run.start', 'held').length;
    expect(jobs.map((j) => [j.id, Number(j.run_count), j.paused])).toEqual([['held', heldAlone, true], ['limited', 3, false]]);
    expect(jobs.find((j) => j.id === 'held')!.last_fire_at).not.toBeNull();

    // Now the cluster holds these jobs: a second node's own state file, which says the opposite
    // (held running, limited paused, other run counts), changes nothing in the cluster.
    const other = await nodeDir(tmp().dir, 'other');
    await writeJobOnNodes([other], 'limited', { schedule: '* * * * * *', command: 'true', maxRuns: 3, cwd: tmp().dir });
    await writeJobOnNodes([other], 'held', { schedule: '* * * * * *', command: 'true', cwd: tmp().dir });
    const alone = await startDaemon({ dir: other });
    await alone.stop('SIGTERM');
    const state = (await readState(alone.stateFile))!;
    const conflicting = { held: { paused: false, runCount: 50 }, limited: { paused: true, runCount: 1 } };
    state.jobs = state.jobs.map((record) => ({ ...record, ...conflicting[record.id as keyof typeof conflicting] }));
    await writeFile(alone.stateFile, JSON.stringify(state));
    const before = await db().query('SELECT id, run_count, paused, last_fire_at, definition_hash FROM jobd_jobs ORDER BY id');

    const second = await startNode({ dir: other, id: 'other', url: db().url });
    const status = await waitFor(async () => {
      const shown = await runCli(['status', '--json', '--socket', join(other, 'jobd.sock')], { cwd: other });
      const jobs = (JSON.parse(shown.stdout) as DaemonStatus).jobs;
      return jobs.find((j) => j.id === 'held')?.state === 'paused' && jobs.find((j) => j.id === 'limited')?.state === 'done' ? jobs : undefined;
    }, { timeoutMs: 8_000, what: 'the second node showing the cluster\'s pause and run counts' });
    expect(status.map((j) => [j.id, j.state, j.runCount])).toEqual([['held', 'paused', heldAlone], ['limited', 'done', 3]]);
    await sleep(1_500);
    await second.daemon.stop('SIGTERM');
    expect(second.daemon.eventsOf('run.start')).toEqual([]);
    expect(await db().query('SELECT id, run_count, paused, last_fire_at, definition_hash FROM jobd_jobs ORDER BY id')).toEqual(before);
  }, 40_000);
});
