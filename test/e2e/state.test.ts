import { mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/e2e-setup.js';
import { inSeconds, readJobRecord, readState, recordPid, writeJob } from '../helpers/jobs.js';
import { sleep, waitFor } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;

describe('state file (SPEC §8)', () => {
  const tmp = useTempDir();

  it('is never seen half-written, and is complete after SIGTERM', async () => {
    await writeJob(tmp().jobsDir, 'counted', { schedule: '@every 1s', command: 'echo counted' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const torn: string[] = [];
    let reads = 0;
    const until = Date.now() + 3_500;
    while (Date.now() < until) {
      const text = await readFile(daemon.stateFile, 'utf8').catch(() => null);
      if (text !== null) {
        reads++;
        try {
          JSON.parse(text);
        } catch {
          torn.push(text.slice(0, 80));
        }
      }
      await sleep(5);
    }
    expect(torn).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    expect((await daemon.stop()).code).toBe(0);

    const state = await readState(daemon.stateFile);
    expect(state).toMatchObject({ version: 1 });
    expect(Number.isNaN(Date.parse(String(state!.savedAt)))).toBe(false);
    expect(state!.running).toEqual([]);
    const record = state!.jobs.find((job) => job.id === 'counted');
    const ends = daemon.eventsOf('run.end', 'counted');
    expect(record?.runCount).toBe(ends.length);
    expect(record?.lastRun).toMatchObject({ run: ends.at(-1)!.run, status: 'ok' });
    const leftovers = (await readdir(tmp().dir)).filter((name) => name.startsWith('jobs_state') || name.includes('.tmp'));
    // Beside the state file, only the checkpoints' directory, with the job's checkpoint left
    // empty: every run of the job ended ok, and none wrote to it.
    expect(leftovers.sort()).toEqual(['jobs_state.json', 'jobs_state.json.checkpoints']);
    expect(await readdir(tmp().path('jobs_state.json.checkpoints'))).toEqual(['counted']);
    expect((await stat(tmp().path('jobs_state.json.checkpoints', 'counted'))).size).toBe(0);
  });

  it('records a run within about a second of its end, so kill -9 loses nothing', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    await writeJob(tmp().jobsDir, 'crashy', { schedule: inSeconds(2), command: 'echo before-crash' });
    const end = await daemon.waitForEvent(is('run.end', 'crashy'), { timeoutMs: 8_000 });
    await sleep(1_500);
    await daemon.kill9();
    const record = await readJobRecord(daemon.stateFile, 'crashy');
    expect(record?.runCount).toBe(1);
    expect(record?.lastRun).toMatchObject({ run: end.run, status: 'ok' });
    expect(record?.state).toBe('done');
  });

  it('a large jobs directory is saved once, whole, after it has loaded', { timeout: 60_000 }, async () => {
    const names = Array.from({ length: 2000 }, (_, i) => `bulk-${String(i).padStart(4, '0')}`);
    await Promise.all(names.map((name) => writeFile(`${tmp().jobsDir}/${name}.json`, '{"schedule": "0 0 1 1 *", "command": "true"}')));
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--log-level', 'debug'], startTimeoutMs: 30_000 });
    const saved = await daemon.waitForEvent('state.saved', { timeoutMs: 10_000 });
    const startedAt = daemon.events.findIndex((e) => e.event === 'daemon.start');
    expect(daemon.events.indexOf(saved)).toBeGreaterThan(startedAt);
    expect(saved.jobs).toBe(2000);
    expect((await readState(daemon.stateFile))!.jobs).toHaveLength(2000);
  });

  it('run counts and run ids carry on across restarts', async () => {
    await writeJob(tmp().jobsDir, 'steady', { schedule: '@every 1s', command: 'true' });
    const first = await startDaemon({ dir: tmp().dir });
    await first.waitForEvents(is('run.end', 'steady'), 2, { timeoutMs: 8_000 });
    expect((await first.stop()).code).toBe(0);
    const second = await startDaemon({ dir: tmp().dir });
    await second.waitForEvents(is('run.end', 'steady'), 1, { timeoutMs: 8_000 });
    expect((await second.stop()).code).toBe(0);

    const ends = [...first.eventsOf('run.end', 'steady'), ...second.eventsOf('run.end', 'steady')];
    const record = await readJobRecord(second.stateFile, 'steady');
    expect(record?.runCount).toBe(ends.length);
    const ids = ends.map((e) => e.run);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('issue 14: the state file records its jobs directory; starting on it with another directory warns once, naming both, and goes on', async () => {
    const { dir, jobsDir } = tmp();
    const otherDir = tmp().path('other-jobs.d');
    await mkdir(otherDir);
    await writeJob(jobsDir, 'steady', { schedule: '@every 1s', command: 'true' });
    await writeJob(otherDir, 'steady', { schedule: '@every 1s', command: 'true' });

    const first = await startDaemon({ dir });
    await first.waitForEvent(is('run.end', 'steady'), { timeoutMs: 8_000 });
    expect((await first.stop()).code).toBe(0);
    expect((await readState(first.stateFile))?.jobsDir).toBe(jobsDir);
    expect(first.eventsOf('state.other_jobs_dir')).toEqual([]);

    const second = await startDaemon({ dir, args: ['--jobs-dir', otherDir] });
    const warned = second.eventsOf('state.other_jobs_dir');
    expect(warned).toEqual([expect.objectContaining({ level: 'warn', file: second.stateFile, jobsDir: otherDir, savedJobsDir: jobsDir })]);
    // It goes on: the job of the other directory runs, and the state file now belongs to it.
    await second.waitForEvent(is('run.end', 'steady'), { timeoutMs: 8_000 });
    expect((await second.stop()).code).toBe(0);
    expect((await readState(second.stateFile))?.jobsDir).toBe(otherDir);

    const third = await startDaemon({ dir, args: ['--jobs-dir', otherDir] });
    expect((await third.stop()).code).toBe(0);
    expect(third.eventsOf('state.other_jobs_dir')).toEqual([]);
  });

  it('a job whose file is gone at restart is not run from the state file', async () => {
    const file = await writeJob(tmp().jobsDir, 'retired', { schedule: '@every 1s', command: 'true' });
    const first = await startDaemon({ dir: tmp().dir });
    await first.waitForEvent(is('run.end', 'retired'), { timeoutMs: 8_000 });
    expect((await first.stop()).code).toBe(0);
    expect((await readJobRecord(first.stateFile, 'retired'))?.runCount).toBeGreaterThanOrEqual(1);
    await unlink(file);

    const second = await startDaemon({ dir: tmp().dir });
    await sleep(2_000);
    expect(second.events.filter((e) => e.job === 'retired' && e.event !== 'job.removed')).toEqual([]);
  });

  it.each([
    ['not JSON', '{"version": 1, "jobs": ['],
    ['JSON of another shape', '[1, 2, 3]'],
  ])('a state file that is %s is renamed aside, logged as state.corrupt, and jobd runs', async (_kind, content) => {
    await writeFile(tmp().path('jobs_state.json'), content);
    await writeJob(tmp().jobsDir, 'survivor', { schedule: '@every 1s', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const corrupt = daemon.eventsOf('state.corrupt')[0];
    expect(corrupt).toBeDefined();
    expect(corrupt!.level === 'error' || corrupt!.level === 50).toBe(true);
    const aside = (await readdir(tmp().dir)).filter((name) => name.startsWith('jobs_state.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(tmp().path(aside[0]!), 'utf8')).toBe(content);
    expect(String(corrupt!.movedTo)).toContain(aside[0]!);
    const end = await daemon.waitForEvent(is('run.end', 'survivor'), { timeoutMs: 8_000 });
    expect(end.status).toBe('ok');
  });

  it('a run in progress at kill -9 is recorded interrupted after the restart', async () => {
    await writeJob(tmp().jobsDir, 'victim', {
      schedule: '@every 1s',
      command: `${recordPid(tmp().pidsDir, 'victim')}; exec sleep 20`,
    });
    const first = await startDaemon({ dir: tmp().dir });
    const start = await first.waitForEvent(is('run.start', 'victim'), { timeoutMs: 8_000 });
    await waitFor(async () => (await readState(first.stateFile))?.running?.some((r) => r.run === start.run), {
      timeoutMs: 5_000,
      what: `run ${String(start.run)} listed as running in the state file`,
    });
    await first.kill9();

    await writeJob(tmp().jobsDir, 'victim', { schedule: '0 0 1 1 *', command: 'true' });
    const second = await startDaemon({ dir: tmp().dir, args: ['--log-level', 'debug'] });
    await second.waitForEvent('state.saved', { timeoutMs: 5_000 });
    expect((await second.stop()).code).toBe(0);
    const record = await readJobRecord(second.stateFile, 'victim');
    const recorded = record?.history.find((run) => run.run === start.run);
    expect(recorded?.status).toBe('interrupted');
    expect(record?.lastRun).toMatchObject({ run: start.run, status: 'interrupted' });
    expect((await readState(second.stateFile))?.running).toEqual([]);
  });
});
