import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeDir, startNode, writeJobOnNodes } from '../../helpers/cluster.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { writeJob } from '../../helpers/jobs.js';
import { usePostgres } from '../../helpers/postgres.js';
import { waitFor } from '../../helpers/process.js';

describe('cluster: metrics', () => {
  const tmp = useTempDir();
  const db = usePostgres();

  it('issue 12: with --metrics, /metrics has a gauge of diverged jobs and one series per diverged job, which clears when the files agree again', async () => {
    const dirs = await Promise.all(['m1', 'm2'].map((id) => nodeDir(tmp().dir, id)));
    const job = { schedule: '@hourly', cwd: tmp().dir };
    await writeJobOnNodes(dirs, 'same', { ...job, command: 'true' });
    await writeJobOnNodes(dirs, 'split', { ...job, command: 'echo one' });
    const m1 = await startNode({ dir: dirs[0]!, id: 'm1', url: db().url, args: ['--metrics', '0'] });
    const m2 = await startNode({ dir: dirs[1]!, id: 'm2', url: db().url });
    const address = String(m1.daemon.eventsOf('daemon.start')[0]!.metrics);
    const scrape = async () => (await fetch(`http://${address}/metrics`)).text();

    await writeJob(join(dirs[1]!, 'jobs.d'), 'split', { ...job, command: 'echo two' });
    const diverged = await waitFor(async () => {
      const text = await scrape();
      return /^jobd_cluster_diverged_jobs 1$/m.test(text) ? text : undefined;
    }, { timeoutMs: 8_000, what: 'jobd_cluster_diverged_jobs 1' });
    expect(diverged).toMatch(/^jobd_cluster_diverged\{job="split"\} 1$/m);
    expect(diverged).not.toMatch(/jobd_cluster_diverged\{job="same"\}/);

    await writeJob(join(dirs[1]!, 'jobs.d'), 'split', { ...job, command: 'echo one' });
    const agreed = await waitFor(async () => {
      const text = await scrape();
      return /^jobd_cluster_diverged_jobs 0$/m.test(text) ? text : undefined;
    }, { timeoutMs: 8_000, what: 'jobd_cluster_diverged_jobs 0' });
    expect(agreed).not.toMatch(/jobd_cluster_diverged\{/);
    await Promise.all([m1, m2].map((node) => node.daemon.stop('SIGTERM')));
  }, 40_000);
});
