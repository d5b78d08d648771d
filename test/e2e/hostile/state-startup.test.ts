import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, HEARTBEAT, startHostileDaemon } from '../../helpers/hostile.js';
import { inSeconds, readJobRecord, readState, recordPid, writeJob } from '../../helpers/jobs.js';
import { sleep, waitFor } from '../../helpers/process.js';
import { startDaemon } from '../../helpers/start-daemon.js';

/** Writes `count` job files `<prefix>-0000.json`…, due once an hour: a load that takes a while. */
async function writeFillers(jobsDir: string, prefix: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
  const body = `${JSON.stringify({ schedule: '@every 1h', command: 'true' })}\n`;
  for (let i = 0; i < ids.length; i += 200) {
    await Promise.all(ids.slice(i, i + 200).map((id) => writeFile(join(jobsDir, `${id}.json`), body)));
  }
  return ids;
}

describe('hostile: saves while jobd starts and under load', () => {
  const tmp = useTempDir();

  it('issue 11.9: SIGTERM during the load of 3,000 job files keeps every record of the old state', { timeout: 60_000 }, async () => {
    const ids = await writeFillers(tmp().jobsDir, 'filler', 3_000);
    const jobs = ids.map((id) => ({ id, file: join(tmp().jobsDir, `${id}.json`), runCount: 5, runSeq: 5 }));
    await writeFile(tmp().path('jobs_state.json'), JSON.stringify({ version: 1, savedAt: new Date().toISOString(), jobs, running: [] }));
    const daemon = await startDaemon({ dir: tmp().dir, waitForStart: false });
    await daemon.waitForEvent('job.loaded', { timeoutMs: 20_000 });
    const exit = await daemon.stop('SIGTERM');
    expect(exit.code).toBe(0);
    // The signal came while the files were still being read.
    expect(daemon.eventsOf('job.loaded').length).toBeLessThan(3_000);
    const state = await readState(daemon.stateFile);
    const counts = new Map(state?.jobs.map((job) => [job.id, job.runCount]));
    expect(ids.filter((id) => counts.get(id) !== 5)).toEqual([]);
  });

  it('issue 11.9: a one-shot that ran does not run again after a crash during the next start-up', { timeout: 60_000 }, async () => {
    await writeJob(tmp().jobsDir, 'once', { schedule: inSeconds(1.5), command: 'true', catchUp: true });
    await writeJob(tmp().jobsDir, 'sleeper', { schedule: '@every 1s', command: `${recordPid(tmp().pidsDir, 'sleeper')}; exec sleep 60` });
    const first = await startDaemon({ dir: tmp().dir });
    await first.waitForEvent((e) => e.event === 'run.end' && e.job === 'once', { timeoutMs: 10_000 });
    // Killed with the one-shot recorded and the sleeper running: the next start records it interrupted and saves at once.
    await waitFor(async () => {
      const state = await readState(first.stateFile);
      const once = state?.jobs.find((job) => job.id === 'once');
      return once?.lastRun?.status === 'ok' && state!.running.length > 0;
    }, { timeoutMs: 10_000, what: 'the one-shot ended and the sleeper running, in the state file' });
    await first.kill9();

    await writeFillers(tmp().jobsDir, 'filler', 3_000);
    const second = await startDaemon({ dir: tmp().dir, waitForStart: false, args: ['--log-level', 'debug'] });
    await second.waitForEvent('state.saved', { timeoutMs: 20_000 });
    expect(second.eventsOf('daemon.start')).toEqual([]);
    await second.kill9();
    expect((await readJobRecord(second.stateFile, 'once'))?.lastFireAt).not.toBeNull();

    const third = await startHostileDaemon({ dir: tmp().dir, startTimeoutMs: 30_000 });
    await expectStillHealthy(third);
    expect(third.daemon.eventsOf('run.start', 'once')).toEqual([]);
    await expectCleanStop(third);
  });

  it('issue 11.10: under 200 jobs every second, every run that ended 1 s before kill -9 is in the state file', { timeout: 60_000 }, async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `load-${String(i).padStart(3, '0')}`);
    const body = `${JSON.stringify({ schedule: '@every 1s', command: 'true' })}\n`;
    await Promise.all(ids.map((id) => writeFile(join(tmp().jobsDir, `${id}.json`), body)));
    const target = await startHostileDaemon({ dir: tmp().dir, startTimeoutMs: 30_000, args: ['--log-level', 'debug'] });
    const { daemon } = target;
    await sleep(4_500);
    const killedAt = Date.now();
    await daemon.kill9();
    const ended = daemon.eventsOf('run.end').filter((e) => Date.parse(e.time as string) < killedAt - 1_000);
    // Two rounds at least, on a busy machine.
    expect(ended.length).toBeGreaterThan(150);
    const state = await readState(daemon.stateFile);
    const saved = new Set(state?.jobs.flatMap((job) => job.history.map((r) => r.run)));
    expect(ended.filter((e) => !saved.has(e.run as string)).map((e) => e.run)).toEqual([]);
    const slowest = Math.max(...daemon.eventsOf('state.saved').map((e) => e.durationMs as number));
    expect(slowest).toBeLessThan(1_000);
    expect(ids.concat(HEARTBEAT).every((id) => state?.jobs.some((job) => job.id === id))).toBe(true);
  });
});
