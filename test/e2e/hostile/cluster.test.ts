import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, startHostileDaemon } from '../../helpers/hostile.js';
import { writeJob } from '../../helpers/jobs.js';
import { usePostgres } from '../../helpers/postgres.js';
import { sleep, waitFor } from '../../helpers/process.js';

describe('hostile: cluster mode', () => {
  const tmp = useTempDir();
  const db = usePostgres();
  const clusterArgs = (node: string) => ['--cluster', db().url, '--node-id', node, '--cluster-lease', '6s'];

  it('issue 12: output with NUL bytes, invalid UTF-8 and a megabyte of noise is recorded in the shared runs table; the node stays healthy', async () => {
    await writeJob(tmp().jobsDir, 'noisy', {
      schedule: '@every 1s',
      command: ['node', '-e', "process.stdout.write(Buffer.concat([Buffer.from('a\\u0000b\\n'), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.alloc(1 << 20, 0x78), Buffer.from('\\nend\\n')]))"],
      maxOutput: 1000,
    });
    const target = await startHostileDaemon({ dir: tmp().dir, args: clusterArgs('noisy-node') });
    const row = await waitFor(
      async () => (await db().query<{ status: string; stdout: string }>("SELECT status, stdout FROM jobd_runs WHERE job = 'noisy' AND status <> 'running' LIMIT 1"))[0],
      { timeoutMs: 10_000, what: 'a recorded run of noisy' },
    );
    expect(row.status).toBe('ok');
    expect(row.stdout.length).toBeLessThanOrEqual(1000);
    expect(row.stdout.endsWith('x\nend\n')).toBe(true);
    expect(row.stdout).not.toContain('\u0000');
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 12: its database connections killed again and again (pg_terminate_backend): new ones replace them and firing goes on', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir, args: clusterArgs('killed-conns') });
    for (let i = 0; i < 5; i += 1) {
      await db().query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'jobd killed-conns'");
      await sleep(400);
    }
    await expectStillHealthy(target);
    const mark = target.daemon.mark();
    await sleep(2_500);
    const ok = target.daemon.events.slice(mark).filter((e) => e.event === 'run.end' && e.status === 'ok');
    expect(ok.length).toBeGreaterThanOrEqual(2);
    const rows = await db().query<{ n: string }>("SELECT count(*) AS n FROM jobd_runs WHERE node = 'killed-conns' AND status = 'ok'");
    expect(Number(rows[0]!.n)).toBeGreaterThan(3);
    await expectCleanStop(target);
  });

  it('issue 12: a node id or schema from the environment that would change the SQL is a usage error naming the option, exit 2', async () => {
    const base = ['start', '--jobs-dir', tmp().jobsDir, '--state-file', join(tmp().dir, 'state.json'), '--cluster', db().url];
    const node = await runCli(base, { cwd: tmp().dir, env: { JOBD_NODE_ID: "x'); DROP TABLE jobd_runs; --" } });
    expect(node.code).toBe(2);
    expect(node.stderr).toContain('--node-id');
    const schema = await runCli(base, { cwd: tmp().dir, env: { JOBD_CLUSTER_SCHEMA: 'public"; DROP SCHEMA public; --' } });
    expect(schema.code).toBe(2);
    expect(schema.stderr).toContain('--cluster-schema');
  });
});
