import { describe, expect, it } from 'vitest';
import { nodeDir, startNode, writeJobOnNodes } from '../../helpers/cluster.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { httpBase, httpRequest } from '../../helpers/http.js';
import { usePostgres } from '../../helpers/postgres.js';
import { waitFor } from '../../helpers/process.js';

describe('cluster: the status page', () => {
  const tmp = useTempDir();
  const db = usePostgres();

  it('issue 15: in cluster mode the daemon strip lists the nodes, live, with what they run', async () => {
    const ids = ['pg1', 'pg2'];
    const dirs = await Promise.all(ids.map((id) => nodeDir(tmp().dir, id)));
    await writeJobOnNodes(dirs, 'often', { schedule: '* * * * * *', command: 'true', cwd: tmp().dir });
    const a = await startNode({ dir: dirs[0]!, id: 'pg1', url: db().url, args: ['--http', '0'] });
    await startNode({ dir: dirs[1]!, id: 'pg2', url: db().url });
    const page = await waitFor(async () => {
      const reply = await httpRequest(`${httpBase(a.daemon)}/`);
      return reply.status === 200 && reply.text.includes('pg2: live') ? reply.text : undefined;
    }, { timeoutMs: 10_000, what: 'both nodes on the page' });
    expect(page).toMatch(/<dt>cluster<\/dt><dd>2 nodes/);
    expect(page).toContain('pg1 (this node): live');
  });
});
