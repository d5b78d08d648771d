import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { nodeDir, startNode, writeJobOnNodes } from '../../helpers/cluster.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { usePostgres } from '../../helpers/postgres.js';
import { sleep, waitFor } from '../../helpers/process.js';
import type { DaemonStatus } from '../../../src/types.js';

// Debian's libfaketime shifts the wall clock of one process; its monotonic clock (timers, leases) is left alone.
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const shifted = (offset: string) => ({ LD_PRELOAD: LIBFAKETIME, FAKETIME: offset, FAKETIME_DONT_FAKE_MONOTONIC: '1' });

describe('cluster: clock skew', () => {
  const tmp = useTempDir();
  const db = usePostgres();

  it('issue 12: a node whose clock runs 90 s ahead or behind (libfaketime) never starts early and never duplicates a fire; its skew is logged, recorded and shown by jobd status', async () => {
    expect(existsSync(LIBFAKETIME), `${LIBFAKETIME} missing: apt-get install -y faketime`).toBe(true);
    const ids = ['true-time', 'ahead', 'behind'];
    const dirs = await Promise.all(ids.map((id) => nodeDir(tmp().dir, id)));
    // The shifted clock is the daemon's; its commands run without libfaketime (which can hang a short-lived child).
    await writeJobOnNodes(dirs, 'tick', { schedule: '* * * * * *', command: 'true', cwd: tmp().dir, env: { LD_PRELOAD: '' } });
    const env = [{}, shifted('+90s'), shifted('-90s')];
    const nodes = await Promise.all(ids.map((id, i) => startNode({ dir: dirs[i]!, id, url: db().url, env: env[i] })));
    await sleep(6_000);
    const [ahead, behind] = [nodes[1]!, nodes[2]!];
    for (const [node, sign] of [[ahead, 1], [behind, -1]] as const) {
      const [skew] = node.daemon.eventsOf('cluster.skew');
      expect(skew, `${node.id} logged no cluster.skew`).toBeDefined();
      expect(Math.abs(Number(skew!.skewMs) - sign * 90_000)).toBeLessThan(3_000);
    }
    const view = await db().query<{ id: string; skew_ms: number }>('SELECT id, skew_ms FROM jobd_nodes ORDER BY id');
    expect(view.map((n) => [n.id, Math.round(n.skew_ms / 10_000) * 10])).toEqual([['ahead', 90], ['behind', -90], ['true-time', 0]]);
    // What a user sees: jobd status on the on-time node shows each node's skew, as JSON and in the table.
    const socket = join(dirs[0]!, 'jobd.sock');
    const status = await waitFor(async () => {
      const shown = JSON.parse((await runCli(['status', '--json', '--socket', socket], { cwd: dirs[0]! })).stdout) as DaemonStatus;
      return shown.cluster?.nodes.every((n) => n.skewMs !== null) ? shown : undefined;
    }, { timeoutMs: 5_000, what: 'a cluster view with every node\'s skew' });
    const skews = Object.fromEntries(status.cluster!.nodes.map((n) => [n.id, n.skewMs!]));
    expect(Math.abs(skews.ahead! - 90_000)).toBeLessThan(3_000);
    expect(Math.abs(skews.behind! + 90_000)).toBeLessThan(3_000);
    expect(Math.abs(skews['true-time']!)).toBeLessThan(1_000);
    const table = await runCli(['status', '--socket', socket], { cwd: dirs[0]! });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^NODE +HOST +VERSION +PID +LAST SEEN +RUNNING +SKEW$/m);
    expect(table.stdout).toMatch(/^ahead .* (8[89]|9[01])\d{3}ms$/m);
    expect(table.stdout).toMatch(/^behind .* -(8[89]|9[01])\d{3}ms$/m);
    await Promise.all(nodes.map((node) => node.daemon.stop('SIGTERM')));

    const rows = await db().query<{ node: string; scheduled_at: Date; claimed_at: Date }>(
      "SELECT node, scheduled_at, claimed_at FROM jobd_runs WHERE job = 'tick' ORDER BY scheduled_at",
    );
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) {
      expect(row.claimed_at.getTime() - row.scheduled_at.getTime(), `${row.node} claimed ${row.scheduled_at.toISOString()} early`).toBeGreaterThan(-2_000);
    }
    expect(rows.filter((r) => r.node === 'ahead')).toEqual([]);
    // A node whose clock is behind can win only a fire no node has passed yet (the high-water mark):
    // once an on-time node has claimed an instant, it never claims again.
    const firstOnTime = rows.find((r) => r.node === 'true-time')!.claimed_at.getTime();
    expect(rows.filter((r) => r.node === 'behind' && r.claimed_at.getTime() > firstOnTime)).toEqual([]);
    const instants = rows.map((r) => r.scheduled_at.getTime());
    expect(new Set(instants).size).toBe(instants.length);
  }, 40_000);
});
