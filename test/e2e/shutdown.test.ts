import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_FIXTURES } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { inSeconds, readState, writeJob } from '../helpers/jobs.js';
import { sleep, waitFor, waitForExit } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';
import { readPidFile } from '../helpers/temp-dir.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;
const PIDS_AND_WAIT = join(E2E_FIXTURES, 'pids-and-wait.sh');

describe('shutdown (SPEC §9)', () => {
  const tmp = useTempDir();

  async function startWithLongRun(shutdownGrace: string) {
    const daemon = await startDaemon({ dir: tmp().dir, shutdownGrace });
    const pidFile = join(tmp().pidsDir, 'long');
    await writeJob(tmp().jobsDir, 'long', { schedule: inSeconds(2), command: ['/bin/sh', PIDS_AND_WAIT, pidFile] });
    const start = await daemon.waitForEvent(is('run.start', 'long'), { timeoutMs: 8_000 });
    const pids = await waitFor(async () => {
      const found = await readPidFile(pidFile);
      return found.length === 4 ? found : null;
    });
    return { daemon, start, pids };
  }

  it('SIGTERM waits the grace, stops the group, records interrupted, saves state and exits 0', async () => {
    await writeJob(tmp().jobsDir, 'ticker', { schedule: '@every 1s', command: 'true' });
    const { daemon, start, pids } = await startWithLongRun('2s');
    const signalledAt = Date.now();
    const signalMark = daemon.mark();
    daemon.child.kill('SIGTERM');
    await sleep(300);
    await writeJob(tmp().jobsDir, 'too-late', { schedule: '@every 1s', command: 'true' });
    const { code } = await daemon.exitWithin();
    const took = Date.now() - signalledAt;
    expect(code).toBe(0);
    expect(took).toBeGreaterThanOrEqual(1_800);
    expect(took).toBeLessThan(12_000);
    await waitForExit(pids, 2_000);

    const end = daemon.events.find((e) => e.event === 'run.end' && e.run === start.run);
    expect(end?.status).toBe('interrupted');
    expect(daemon.eventsOf('daemon.stop')).toHaveLength(1);
    const afterSignal = daemon.events.slice(signalMark);
    expect(afterSignal.filter((e) => e.event === 'run.start' || e.event === 'job.loaded')).toEqual([]);
    const state = await readState(daemon.stateFile);
    expect(state?.running).toEqual([]);
    expect(state?.jobs.find((job) => job.id === 'long')?.lastRun).toMatchObject({ run: start.run, status: 'interrupted' });
  });

  it('a second signal skips the rest of the grace', async () => {
    const { daemon, start, pids } = await startWithLongRun('30s');
    const signalledAt = Date.now();
    daemon.child.kill('SIGTERM');
    await sleep(700);
    expect(daemon.hasExited()).toBe(false);
    const { code } = await daemon.stop('SIGINT');
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(code).toBe(0);
    await waitForExit(pids, 2_000);
    const end = daemon.events.find((e) => e.event === 'run.end' && e.run === start.run);
    expect(end?.status).toBe('interrupted');
    const state = await readState(daemon.stateFile);
    expect(state?.running).toEqual([]);
  });

  it('a run that finishes within the grace ends ok', async () => {
    const daemon = await startDaemon({ dir: tmp().dir, shutdownGrace: '10s' });
    await writeJob(tmp().jobsDir, 'brief', { schedule: inSeconds(2), command: 'sleep 1; echo done' });
    const start = await daemon.waitForEvent(is('run.start', 'brief'), { timeoutMs: 8_000 });
    const { code } = await daemon.stop('SIGTERM');
    expect(code).toBe(0);
    const end = daemon.events.find((e) => e.event === 'run.end' && e.run === start.run);
    expect(end).toMatchObject({ status: 'ok', exitCode: 0 });
    const record = (await readState(daemon.stateFile))?.jobs.find((job) => job.id === 'brief');
    expect(record?.lastRun).toMatchObject({ run: start.run, status: 'ok' });
  });

  it('SIGINT with nothing running exits 0 at once and logs daemon.stop', async () => {
    await writeJob(tmp().jobsDir, 'idle', { schedule: '0 0 1 1 *', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir, shutdownGrace: '30s' });
    const signalledAt = Date.now();
    const { code } = await daemon.stop('SIGINT');
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(5_000);
    expect(daemon.eventsOf('daemon.stop')).toHaveLength(1);
    expect((await readState(daemon.stateFile))?.jobs.map((job) => job.id)).toEqual(['idle']);
  });
});
