import { describe, expect, it } from 'vitest';
import { nodeDir, startNode, writeJobOnNodes } from '../../helpers/cluster.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { usePostgres } from '../../helpers/postgres.js';
import { sleep } from '../../helpers/process.js';

const JOBS = 20;
const SECONDS = 60;

describe('cluster: every fire runs exactly once', () => {
  const tmp = useTempDir();
  const db = usePostgres();

  it(`issue 12: three nodes, ${JOBS} jobs every second for ${SECONDS} s: every (job, second) runs exactly once, none missing`, async () => {
    const ids = ['node-a', 'node-b', 'node-c'];
    const dirs = await Promise.all(ids.map((id) => nodeDir(tmp().dir, id)));
    for (let i = 0; i < JOBS; i += 1) {
      // Half cron (the same instants by the calendar), half interval (the same instants by the shared anchor).
      const schedule = i % 2 === 0 ? '* * * * * *' : '@every 1s';
      await writeJobOnNodes(dirs, `tick-${i}`, { schedule, command: 'echo "$JOBD_NODE_ID"', cwd: tmp().dir });
    }
    const nodes = await Promise.all(ids.map((id, i) => startNode({ dir: dirs[i]!, id, url: db().url })));
    await sleep(SECONDS * 1000);
    const windowEnd = Date.now() - 2_000;
    await Promise.all(nodes.map((node) => node.daemon.stop('SIGTERM')));

    const rows = await db().query<{ job: string; scheduled_at: Date; node: string; status: string; run: string | null; stdout: string | null; error: string | null }>(
      'SELECT job, scheduled_at, node, status, run, stdout, error FROM jobd_runs ORDER BY job, scheduled_at',
    );
    // A fire claimed as SIGTERM arrived is given up before it starts: its row says so, and no run.start is logged for it.
    const abandoned = (r: (typeof rows)[number]) => r.status === 'interrupted' && r.error === 'jobd stopped before the run started';
    for (const row of rows.filter(abandoned)) expect(row.scheduled_at.getTime(), `${row.job}: given up inside the window`).toBeGreaterThan(windowEnd);
    const starts = nodes.flatMap((node) => node.daemon.eventsOf('run.start').map((e) => ({ job: e.job, scheduledAt: e.scheduledAt, node: e.node, from: node.id })));
    for (let i = 0; i < JOBS; i += 1) {
      const job = `tick-${i}`;
      const instants = rows.filter((r) => r.job === job).map((r) => r.scheduled_at.getTime());
      expect(new Set(instants).size, `${job}: a fire claimed twice`).toBe(instants.length);
      const inWindow = instants.filter((at) => at <= windowEnd);
      expect(inWindow.length, `${job}: fires in ${SECONDS} s`).toBeGreaterThanOrEqual(SECONDS - 4);
      for (let k = 1; k < inWindow.length; k += 1) expect(inWindow[k]! - inWindow[k - 1]!, `${job}: a second missing`).toBe(1000);
      const started = starts.filter((e) => e.job === job).map((e) => Date.parse(String(e.scheduledAt)));
      expect(new Set(started).size, `${job}: run.start twice for one instant`).toBe(started.length);
      const ran = rows.filter((r) => r.job === job && !abandoned(r)).map((r) => r.scheduled_at.getTime());
      expect(started.sort()).toEqual(ran.sort());
    }
    for (const row of rows.filter((r) => r.scheduled_at.getTime() <= windowEnd)) {
      expect(row.status, `${row.job} ${row.scheduled_at.toISOString()}`).toBe('ok');
      expect(row.stdout).toBe(`${row.node}\n`);
    }
    for (const start of starts) expect(start.node).toBe(start.from);
    const byNode = new Map(ids.map((id) => [id, rows.filter((r) => r.node === id).length]));
    for (const id of ids) expect(byNode.get(id), `${id} ran nothing`).toBeGreaterThan(0);
  }, 100_000);
});
