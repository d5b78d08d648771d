import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { nodeDir, startNode, writeJobOnNodes } from '../../helpers/cluster.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { usePostgres } from '../../helpers/postgres.js';
import { startDaemon } from '../../helpers/start-daemon.js';

describe('cluster: nodes', () => {
  const tmp = useTempDir();
  const db = usePostgres();

  it('issue 12: a second live node with the same --node-id is refused with a clear error, exit 1', async () => {
    const dirs = await Promise.all(['first', 'second'].map((name) => nodeDir(tmp().dir, name)));
    const first = await startNode({ dir: dirs[0]!, id: 'same', url: db().url });
    const second = await runCli(
      ['start', '--jobs-dir', join(dirs[1]!, 'jobs.d'), '--state-file', join(dirs[1]!, 'state.json'), '--cluster', db().url, '--node-id', 'same'],
      { cwd: dirs[1]! },
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^jobd: --node-id same: a live node already has this id \(host .+, pid \d+, seen \d+ ms ago\); give each node its own --node-id\n$/);
    expect(first.daemon.hasExited()).toBe(false);
    const nodes = await db().query<{ id: string; pid: number }>('SELECT id, pid FROM jobd_nodes');
    expect(nodes).toEqual([{ id: 'same', pid: first.daemon.pid }]);
    expect((await first.daemon.stop('SIGTERM')).code).toBe(0);
    expect(await db().query('SELECT id FROM jobd_nodes')).toEqual([]);
  });

  it('issue 12: the schema is created and migrated on start, in --cluster-schema, by one node at a time; JOBD_CLUSTER and friends do what the options do', async () => {
    const ids = ['m1', 'm2', 'm3'];
    const dirs = await Promise.all(ids.map((id) => nodeDir(tmp().dir, id)));
    await writeJobOnNodes(dirs, 'hello', { schedule: '* * * * * *', command: 'true', cwd: tmp().dir });
    // m3 is given its cluster by the environment only.
    const env = { JOBD_CLUSTER: db().url, JOBD_NODE_ID: 'm3', JOBD_CLUSTER_SCHEMA: 'jobs_here', JOBD_CLUSTER_LEASE: '6s' };
    const nodes = await Promise.all([
      ...ids.slice(0, 2).map((id, i) => startNode({ dir: dirs[i]!, id, url: db().url, args: ['--cluster-schema', 'jobs_here'] })),
      startDaemon({ dir: dirs[2]!, env }).then((daemon) => ({ id: 'm3', dir: dirs[2]!, daemon })),
    ]);
    for (const node of nodes) expect(node.daemon.eventsOf('cluster.joined')[0]).toMatchObject({ node: node.id, schema: 'jobs_here' });
    expect(nodes[2]!.daemon.eventsOf('cluster.joined')[0]).toMatchObject({ leaseMs: 6_000 });
    const live = await db().query<{ id: string; pid: number }>('SELECT id, pid FROM jobs_here.jobd_nodes ORDER BY id');
    expect(live).toEqual(nodes.map((node) => ({ id: node.id, pid: node.daemon.pid })));
    const tables = await db().query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'jobs_here' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual(['jobd_checkpoints', 'jobd_jobs', 'jobd_migrations', 'jobd_node_jobs', 'jobd_nodes', 'jobd_runs']);
    expect(await db().query('SELECT version, name FROM jobs_here.jobd_migrations ORDER BY version')).toEqual([
      { version: 1, name: 'initial' }, { version: 2, name: 'node definitions' }, { version: 3, name: 'control flags' },
      { version: 4, name: 'resume runs' },
    ]);
    await Promise.all(nodes.map((node) => node.daemon.stop('SIGTERM')));
  });

  it('issue 12: a database that cannot be reached at start is one clear line, exit 1; a bad --cluster value is a usage error', async () => {
    const dir = await nodeDir(tmp().dir, 'lonely');
    const base = ['start', '--jobs-dir', join(dir, 'jobs.d'), '--state-file', join(dir, 'state.json')];
    const unreachable = await runCli([...base, '--cluster', `postgres://postgres@${encodeURIComponent(join(tmp().dir, 'nowhere'))}/x`], { cwd: dir });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^jobd: --cluster: could not migrate schema public: .+\n$/);
    const notUrl = await runCli([...base, '--cluster', 'db.internal'], { cwd: dir });
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('expected a PostgreSQL URL such as postgres://jobd@db.internal/jobd');
    const badSchema = await runCli([...base, '--cluster', db().url, '--cluster-schema', 'x; DROP TABLE y'], { cwd: dir });
    expect(badSchema.code).toBe(2);
    expect(badSchema.stderr).toContain('expected a schema name of lower-case letters, digits and _');
  });
});

describe('cluster: jobd db migrate', () => {
  const tmp = useTempDir();
  const db = usePostgres();

  it('issue 12: jobd db migrate --cluster URL creates the schema, then says it is up to date; an unreachable database is exit 1', async () => {
    const first = await runCli(['db', 'migrate', '--cluster', db().url, '--cluster-schema', 'ops'], { cwd: tmp().dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('schema ops: applied migration 1, 2, 3, 4; at version 4\n');
    const again = await runCli(['db', 'migrate'], { cwd: tmp().dir, env: { JOBD_CLUSTER: db().url, JOBD_CLUSTER_SCHEMA: 'ops' } });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('schema ops: already up to date; at version 4\n');
    const tables = await db().query<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'ops'");
    expect(Number(tables[0]!.n)).toBe(6);
    const missing = await runCli(['db', 'migrate'], { cwd: tmp().dir, env: { JOBD_CLUSTER: '' } });
    expect(missing.code).toBe(2);
    const away = await runCli(['db', 'migrate', '--cluster', `postgres://postgres@${encodeURIComponent(tmp().path('nowhere'))}/x`], { cwd: tmp().dir });
    expect(away.code).toBe(1);
    expect(away.stderr).toMatch(/^jobd: could not migrate schema public: connect ENOENT .+\n$/);
  });
});
