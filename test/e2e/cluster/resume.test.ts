import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkpointCounter } from '../../helpers/jobs.js';
import { describe, expect, it } from 'vitest';
import { nodeDir, startNode, writeJobOnNodes, type ClusterNode } from '../../helpers/cluster.js';
import { socketRequest } from '../../helpers/control-socket.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { usePostgres } from '../../helpers/postgres.js';
import { sleep, waitFor } from '../../helpers/process.js';
import type { DaemonProcess, LogEvent } from '../../helpers/start-daemon.js';

interface RunRow {
  run: string | null;
  node: string;
  status: string;
  trigger: string;
  resume_of: string | null;
  resume_count: number;
}

// A lease of 3 s: renewed (and the checkpoint uploaded) every 0.5 s, reaped within a second of expiry.
const LEASE = '3s';
const LEASE_MS = 3_000;

const COUNTER = checkpointCounter(0.25);

const lineOf = (run: string, pattern: RegExp) => (e: LogEvent) => e.event === 'run.output' && e.run === run && pattern.test(String(e.line));
const stepsOf = (daemon: DaemonProcess, run: string): number[] =>
  daemon.events.filter(lineOf(run, /^step \d+$/)).map((e) => Number(String(e.line).slice(5)));

describe('cluster: resuming a reaped run (issue 16, issue 12)', () => {
  const tmp = useTempDir();
  const db = usePostgres();
  const runsOf = (job: string) =>
    db().query<RunRow>('SELECT run, node, status, trigger, resume_of, resume_count FROM jobd_runs WHERE job = $1 ORDER BY claimed_at', [job]);
  const checkpointRow = async (job: string) =>
    (await db().query<{ bytes: Buffer }>('SELECT bytes FROM jobd_checkpoints WHERE job = $1', [job]))[0]?.bytes.toString('utf8') ?? null;

  // Two nodes with the jobs; the first runs each by hand, and is killed with -9 once each is at step 8.
  async function killedMidCount(ids: [string, string], jobs: Record<string, object>): Promise<{ survivor: ClusterNode; first: Record<string, string>; victim: string; dir: string }> {
    const dirs = await Promise.all(ids.map((id) => nodeDir(tmp().dir, id)));
    for (const [job, fields] of Object.entries(jobs)) {
      await writeJobOnNodes(dirs, job, { schedule: '0 0 1 1 *', command: COUNTER, cwd: tmp().dir, ...fields });
    }
    const [victim, survivor] = await Promise.all(ids.map((id, i) => startNode({ dir: dirs[i]!, id, url: db().url, lease: LEASE })));
    const first: Record<string, string> = {};
    for (const job of Object.keys(jobs)) {
      expect((await socketRequest(join(victim!.dir, 'jobd.sock'), 'POST', `/jobs/${job}/run`)).status).toBeLessThan(300);
      first[job] = (await victim!.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === job, { timeoutMs: 8_000 })).run!;
    }
    for (const run of Object.values(first)) await victim!.daemon.waitForEvent(lineOf(run, /^step 8$/), { timeoutMs: 8_000 });
    await victim!.daemon.kill9();
    return { survivor: survivor!, first, victim: victim!.id, dir: victim!.dir };
  }

  it('issue 16: kill -9 of the node mid-count: another node reaps the run and resumes it once from the checkpoint in PostgreSQL (not again when the killed node restarts); it ends ok and the checkpoint is cleared', async () => {
    const killed = await killedMidCount(['c1', 'c2'], { counter: { onInterrupted: 'resume' } });
    const { survivor, victim } = killed;
    const first = killed.first.counter!;
    // What the killed node uploaded last, at most one renewal before it died.
    const uploaded = Number(await checkpointRow('counter'));
    expect(uploaded).toBeGreaterThan(1);
    expect(uploaded).toBeLessThanOrEqual(9);

    const reaped = await survivor.daemon.waitForEvent((e) => e.event === 'cluster.reaped' && e.job === 'counter', { timeoutMs: LEASE_MS + 5_000 });
    expect(reaped).toMatchObject({ run: first, node: victim });
    const resume = await survivor.daemon.waitForEvent('daemon.resume');
    expect(resume).toMatchObject({ count: 1, runs: [{ job: 'counter', resumeOf: first }], held: [] });
    const run = (resume.runs as Array<{ run: string }>)[0]!.run;
    const started = await survivor.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'counter');
    expect(started).toMatchObject({ run, trigger: 'resume', resumeOf: first, node: survivor.id });
    const end = await survivor.daemon.waitForEvent((e) => e.event === 'run.end' && e.run === run, { timeoutMs: 15_000 });
    expect(end.status).toBe('ok');
    expect(survivor.daemon.events.some(lineOf(run, new RegExp(`^begin ${uploaded} trigger=resume resumeOf=${first}$`)))).toBe(true);
    const steps = stepsOf(survivor.daemon, run);
    expect(steps[0]).toBe(uploaded + 1);
    expect(steps.at(-1)).toBe(20);

    await waitFor(async () => (await checkpointRow('counter')) === null, { what: 'the checkpoint cleared in PostgreSQL' });
    await waitFor(async () => (await lstat(`${survivor.daemon.stateFile}.checkpoints/counter`).catch(() => null)) === null);
    // The killed node comes back, once the resume has ended (so no overlap check can refuse it),
    // and resumes the run from its own state file too: that claim is refused by the unique
    // resume_of_row key (`cluster.skipped`, a debug event), the run was resumed already.
    const restarted = await startNode({ dir: killed.dir, id: victim, url: db().url, lease: LEASE, args: ['--log-level', 'debug'] });
    expect(await restarted.daemon.waitForEvent('daemon.resume')).toMatchObject({ count: 1, runs: [{ job: 'counter', resumeOf: first }] });
    await restarted.daemon.waitForEvent((e) => e.event === 'cluster.skipped' && e.job === 'counter' && e.trigger === 'resume');
    await sleep(1_000);
    expect(await runsOf('counter')).toEqual([
      { run: first, node: victim, status: 'interrupted', trigger: 'manual', resume_of: null, resume_count: 0 },
      { run, node: survivor.id, status: 'ok', trigger: 'resume', resume_of: first, resume_count: 1 },
    ]);
    const detail = (await socketRequest(join(survivor.dir, 'jobd.sock'), 'GET', '/jobs/counter')).json as { history: LogEvent[] };
    expect(detail.history.slice(-1)).toMatchObject([{ run, trigger: 'resume', resumeOf: first, resumeCount: 1 }]);
    expect(restarted.daemon.eventsOf('run.start', 'counter')).toEqual([]);
    await Promise.all([survivor, restarted].map((node) => node.daemon.stop('SIGTERM')));
  }, 40_000);

  it('issue 12: re-running is opt-in: with the default "record", and with maxResumes 0, a reaped run is recorded and not run again', async () => {
    const { survivor, first } = await killedMidCount(['d1', 'd2'], { recorded: {}, capped: { onInterrupted: 'resume', maxResumes: 0 } });
    for (const job of ['recorded', 'capped']) {
      await survivor.daemon.waitForEvent((e) => e.event === 'cluster.reaped' && e.job === job, { timeoutMs: LEASE_MS + 5_000 });
    }
    const held = await survivor.daemon.waitForEvent('daemon.resume');
    expect(held).toMatchObject({ count: 0, runs: [], held: [{ job: 'capped', run: first.capped, reason: 'maxResumes' }] });
    await sleep(2_000);
    expect(survivor.daemon.eventsOf('daemon.resume')).toHaveLength(1);
    for (const job of ['recorded', 'capped']) {
      expect(survivor.daemon.eventsOf('run.start', job)).toEqual([]);
      expect((await runsOf(job)).map((r) => [r.run, r.status])).toEqual([[first[job], 'interrupted']]);
    }
    // A job that does not resume keeps no checkpoint in the database: nothing uploads it.
    expect(await checkpointRow('recorded')).toBeNull();
    expect(await checkpointRow('capped')).not.toBeNull();
    await survivor.daemon.stop('SIGTERM');
  }, 40_000);

  it('issue 16: a checkpoint over 1 MiB is not kept in PostgreSQL: the reaped run is resumed from an empty one', async () => {
    // 2 MiB written whole (temp file, then mv), then the step the helper waits for.
    const huge = [
      'echo "begin $(wc -c < "$JOBD_CHECKPOINT") trigger=$JOBD_TRIGGER"',
      'head -c 2097152 /dev/zero | tr "\\0" x > "$JOBD_CHECKPOINT.tmp" && mv "$JOBD_CHECKPOINT.tmp" "$JOBD_CHECKPOINT"',
      'echo "step 8"; sleep 8',
    ].join('\n');
    const { survivor, first } = await killedMidCount(['h1', 'h2'], { huge: { onInterrupted: 'resume', command: huge } });
    expect(await checkpointRow('huge')).toBeNull();
    const resume = await survivor.daemon.waitForEvent('daemon.resume', { timeoutMs: LEASE_MS + 5_000 });
    expect(resume).toMatchObject({ count: 1, runs: [{ job: 'huge', resumeOf: first.huge }] });
    const run = (resume.runs as Array<{ run: string }>)[0]!.run;
    await survivor.daemon.waitForEvent(lineOf(run, /^begin 0 trigger=resume$/));
    await survivor.daemon.waitForEvent(lineOf(run, /^step 8$/));
    await sleep(1_000);
    expect(await checkpointRow('huge')).toBeNull();
    await survivor.daemon.stop('SIGTERM');
  }, 40_000);
});
