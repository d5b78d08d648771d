import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeDir, startNode, writeJobOnNodes } from '../../helpers/cluster.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { writeJob } from '../../helpers/jobs.js';
import { usePostgres } from '../../helpers/postgres.js';
import { sleep, waitFor } from '../../helpers/process.js';

describe('cluster: job definitions', () => {
  const tmp = useTempDir();
  const db = usePostgres();

  it('issue 12: a node that starts with a different definition is flagged (cluster.diverged) and claims none of its fires; an edit seen while running is published, and claims follow it', async () => {
    const ids = ['d1', 'd2', 'd3'];
    const dirs = await Promise.all(ids.map((id) => nodeDir(tmp().dir, id)));
    const job = { schedule: '* * * * * *', cwd: tmp().dir };
    await writeJobOnNodes(dirs.slice(0, 2), 'shared', { ...job, command: 'echo current' });
    await writeJob(join(dirs[2]!, 'jobs.d'), 'shared', { ...job, command: 'echo stale' });
    const [d1, d2] = await Promise.all(ids.slice(0, 2).map((id, i) => startNode({ dir: dirs[i]!, id, url: db().url })));
    const d3 = await startNode({ dir: dirs[2]!, id: 'd3', url: db().url });
    const diverged = await d3.daemon.waitForEvent('cluster.diverged', { timeoutMs: 5_000 });
    expect(diverged).toMatchObject({ level: 'warn', job: 'shared', node: 'd3', hash: expect.stringMatching(/^[0-9a-f]{64}$/), published: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(diverged.hash).not.toBe(diverged.published);
    await sleep(3_000);

    const editedAt = Date.now();
    const d1Mark = d1!.daemon.mark();
    await writeJob(join(dirs[0]!, 'jobs.d'), 'shared', { ...job, command: 'echo edited' });
    await d1!.daemon.waitForEvent((e) => e.event === 'job.updated' && e.job === 'shared', { after: d1Mark });
    await waitFor(async () => (await db().query("SELECT 1 FROM jobd_runs WHERE job = 'shared' AND stdout = 'edited\n'")).length > 0, {
      timeoutMs: 5_000, what: 'a run of the edited job',
    });
    await sleep(3_000);
    await Promise.all([d1!, d2!, d3].map((node) => node.daemon.stop('SIGTERM')));

    const rows = await db().query<{ node: string; scheduled_at: Date; stdout: string }>(
      "SELECT node, scheduled_at, stdout FROM jobd_runs WHERE job = 'shared' ORDER BY scheduled_at",
    );
    expect(rows.filter((r) => r.node === 'd3')).toEqual([]);
    expect(d3.daemon.eventsOf('run.start', 'shared')).toEqual([]);
    const before = rows.filter((r) => r.scheduled_at.getTime() < editedAt);
    expect(before.length).toBeGreaterThan(2);
    for (const row of before) expect(row.stdout).toBe('current\n');
    const settled = rows.filter((r) => r.scheduled_at.getTime() > editedAt + 1_500);
    expect(settled.length).toBeGreaterThan(1);
    for (const row of settled) expect(row).toMatchObject({ node: 'd1', stdout: 'edited\n' });
    const instants = rows.map((r) => r.scheduled_at.getTime());
    expect(new Set(instants).size).toBe(instants.length);
  }, 45_000);
});
