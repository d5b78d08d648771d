import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { socketRequest } from '../../helpers/control-socket.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, processesTagged, startHostileDaemon } from '../../helpers/hostile.js';
import { readState, writeJob } from '../../helpers/jobs.js';
import { isRunning, sleep, waitFor } from '../../helpers/process.js';
import { readPidFile } from '../../helpers/temp-dir.js';

/** A command that starts `sleep 300` in a session of its own, out of its process group, and records its PID. */
function escapingSleep(pidFile: string, { background = '', then = 'wait' } = {}): string {
  return `setsid sh -c 'echo $$ > "${pidFile}"; exec sleep 300' ${background} & ${then}`;
}

async function pidIn(file: string): Promise<number> {
  const [pid] = await waitFor(async () => ((await readPidFile(file)).length > 0 ? readPidFile(file) : null), { what: `a PID in ${file}` });
  return pid!;
}

describe('hostile: processes that leave their group', () => {
  const tmp = useTempDir();

  it('issue 11.14: `setsid sleep 300 & wait` with timeout 1s: the escaped sleep is stopped and counted', async () => {
    const pidFile = join(tmp().pidsDir, 'escaped');
    await writeJob(tmp().jobsDir, 'escaper', { schedule: '@every 1h', command: escapingSleep(pidFile), timeout: '1s', killGrace: '1s' });
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    await socketRequest(target.socket, 'POST', '/jobs/escaper/run');
    const sleep = await pidIn(pidFile);
    const end = await target.daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'escaper', { timeoutMs: 10_000 });
    expect(end).toMatchObject({ status: 'timeout', escaped: 1 });
    expect(Number(end.durationMs)).toBeLessThan(3_000);
    expect(isRunning(sleep)).toBe(false);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.14: `setsid sleep 300 & wait` cancelled: the escaped sleep is stopped and counted', async () => {
    const pidFile = join(tmp().pidsDir, 'escaped');
    await writeJob(tmp().jobsDir, 'escaper', { schedule: '@every 1h', command: escapingSleep(pidFile), killGrace: '1s' });
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    await socketRequest(target.socket, 'POST', '/jobs/escaper/run');
    const sleep = await pidIn(pidFile);
    const cancelled = await socketRequest(target.socket, 'POST', '/jobs/escaper/cancel');
    expect(cancelled.status).toBe(200);
    const end = await target.daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'escaper', { timeoutMs: 10_000 });
    expect(end).toMatchObject({ status: 'cancelled', escaped: 1 });
    expect(isRunning(sleep)).toBe(false);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.14: `setsid sleep 300 & wait` at shutdown: nothing jobd started is left running', async () => {
    const pidFile = join(tmp().pidsDir, 'escaped');
    await writeJob(tmp().jobsDir, 'escaper', { schedule: '@every 1h', command: escapingSleep(pidFile), killGrace: '1s' });
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '200ms' });
    await socketRequest(target.socket, 'POST', '/jobs/escaper/run');
    const sleep = await pidIn(pidFile);
    expect(processesTagged(target.tag)).toContain(sleep);
    await expectCleanStop(target);
    const end = target.daemon.eventsOf('run.end', 'escaper')[0];
    expect(end).toMatchObject({ status: 'interrupted', escaped: 1 });
    expect(isRunning(sleep)).toBe(false);
  });

  it('issue 11.14: `setsid sleep 300 & exit 0` holding the output, timeout 1s: a timeout, though the group is long gone', async () => {
    const pidFile = join(tmp().pidsDir, 'escaped');
    const command = escapingSleep(pidFile, { then: `while [ ! -s "${pidFile}" ]; do sleep 0.05; done; exit 0` });
    await writeJob(tmp().jobsDir, 'holder', { schedule: '@every 1h', command, timeout: '1s', killGrace: '1s' });
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    await socketRequest(target.socket, 'POST', '/jobs/holder/run');
    const end = await target.daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'holder', { timeoutMs: 10_000 });
    expect(end).toMatchObject({ status: 'timeout', escaped: 1 });
    expect(isRunning(await pidIn(pidFile))).toBe(false);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.14: a run that ends ok but leaves a daemonised child: the child is stopped, the run stays ok and counts it', async () => {
    const pidFile = join(tmp().pidsDir, 'escaped');
    const command = escapingSleep(pidFile, { background: '>/dev/null 2>&1 </dev/null', then: `while [ ! -s "${pidFile}" ]; do sleep 0.05; done; exit 0` });
    await writeJob(tmp().jobsDir, 'daemoniser', { schedule: '@every 1h', command, killGrace: '1s' });
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    await socketRequest(target.socket, 'POST', '/jobs/daemoniser/run');
    const end = await target.daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'daemoniser', { timeoutMs: 10_000 });
    expect(end).toMatchObject({ status: 'ok', escaped: 1 });
    expect(isRunning(await pidIn(pidFile))).toBe(false);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 13: runs that end together, some leaving a daemonised child: each child is stopped and counted on its own run only', async () => {
    const at = new Date(Date.now() + 3_000).toISOString();
    const pidFiles = [0, 1, 2, 3, 4, 5].map((i) => join(tmp().pidsDir, `escaped-${i}`));
    for (const [i, pidFile] of pidFiles.entries()) {
      const command = escapingSleep(pidFile, { background: '>/dev/null 2>&1 </dev/null', then: `while [ ! -s "${pidFile}" ]; do sleep 0.05; done; exit 0` });
      await writeJob(tmp().jobsDir, `daemoniser-${i}`, { schedule: at, command, killGrace: '1s' });
    }
    for (const i of [0, 1, 2]) await writeJob(tmp().jobsDir, `plain-${i}`, { schedule: at, command: 'sleep 0.2' });
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    const ended = (e: { event?: unknown; job?: unknown }) => e.event === 'run.end' && /^(daemoniser|plain)-/.test(String(e.job));
    const ends = await target.daemon.waitForEvents(ended, 9, { timeoutMs: 15_000 });
    for (const end of ends.filter((e) => String(e.job).startsWith('daemoniser-'))) expect(end).toMatchObject({ status: 'ok', escaped: 1 });
    for (const end of ends.filter((e) => String(e.job).startsWith('plain-'))) {
      expect(end.status).toBe('ok');
      expect(end.escaped).toBeUndefined();
    }
    for (const pidFile of pidFiles) expect(isRunning(await pidIn(pidFile))).toBe(false);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });
});

/** A job that runs `sleep 300` with a setsid grandchild, recording the leader's and the grandchild's PIDs. */
function stickyJob(pidsDir: string): object {
  const command = [
    `echo $$ >> "${join(pidsDir, 'leader')}"`,
    `setsid sh -c 'echo $$ >> "${join(pidsDir, 'grand')}"; exec sleep 300' &`,
    'sleep 300',
  ].join('\n');
  return { schedule: '@every 1s', command, overlap: 'skip', killGrace: '1s' };
}

async function killedWhileRunning(dir: string, pidsDir: string) {
  await writeJob(join(dir, 'jobs.d'), 'sticky', stickyJob(pidsDir));
  const first = await startHostileDaemon({ dir, shutdownGrace: '500ms' });
  const leader = await pidIn(join(pidsDir, 'leader'));
  const grand = await pidIn(join(pidsDir, 'grand'));
  await waitFor(async () => (await readState(first.daemon.stateFile))?.running?.some((r) => r.job === 'sticky'), {
    what: 'the running sticky run in the state file',
  });
  await first.daemon.kill9();
  expect(isRunning(leader) && isRunning(grand)).toBe(true);
  return { first, leader, grand };
}

describe('hostile: orphans of a killed daemon', () => {
  const tmp = useTempDir();

  it('issue 11.15: after kill -9, the restarted daemon stops the old run and its setsid grandchild before the overlap:skip job runs again', async () => {
    const { first, leader, grand } = await killedWhileRunning(tmp().dir, tmp().pidsDir);
    const oldRun = first.daemon.eventsOf('run.start', 'sticky')[0]!.run;
    const second = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    const end = second.daemon.eventsOf('run.end', 'sticky').find((e) => e.run === oldRun);
    expect(end).toMatchObject({ status: 'interrupted' });
    expect(Number(end!.orphansStopped)).toBeGreaterThanOrEqual(2);
    expect(isRunning(leader)).toBe(false);
    expect(isRunning(grand)).toBe(false);
    expect(processesTagged(first.tag)).toEqual([]);
    // The next run starts only now, alone.
    const next = await second.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'sticky', { timeoutMs: 8_000 });
    expect(next.run).not.toBe(oldRun);
    expect([leader, grand].filter(isRunning)).toEqual([]);
    await expectStillHealthy(second);
    await expectCleanStop(second);
  });

  it('issue 11.15: a run the state file never listed (killed before the save) is found by its marker, stopped, and its id not reused', async () => {
    const { first, leader, grand } = await killedWhileRunning(tmp().dir, tmp().pidsDir);
    const oldRun = String(first.daemon.eventsOf('run.start', 'sticky')[0]!.run);
    const state = (await readState(first.daemon.stateFile))!;
    const sticky = state.jobs.find((j) => j.id === 'sticky')!;
    await writeFile(first.daemon.stateFile, JSON.stringify({ ...state, running: [], jobs: state.jobs.map((j) => (j === sticky ? { ...j, runSeq: 0 } : j)) }));
    const second = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    const end = second.daemon.eventsOf('run.end', 'sticky').find((e) => e.run === oldRun);
    expect(end).toMatchObject({ status: 'interrupted' });
    expect(Number(end!.orphansStopped)).toBeGreaterThanOrEqual(2);
    expect([leader, grand].filter(isRunning)).toEqual([]);
    const next = await second.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'sticky', { timeoutMs: 8_000 });
    expect(next.run).not.toBe(oldRun);
    await expectCleanStop(second);
  });

  it('issue 11.15: a PID in the state file now used by an unrelated process is not killed', async () => {
    await writeJob(tmp().jobsDir, 'quiet', { schedule: '@every 1h', command: 'true' });
    const first = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    await expectCleanStop(first);
    const stranger = spawn('sleep', ['300'], { stdio: 'ignore', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    try {
      const state = (await readState(first.daemon.stateFile))!;
      const startedAt = new Date(Date.now() - 5_000).toISOString();
      const running = [{ run: 'quiet-7', job: 'quiet', pid: stranger.pid!, startedAt, trigger: 'schedule', scheduledAt: startedAt }];
      await writeFile(first.daemon.stateFile, JSON.stringify({ ...state, running }));
      const second = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
      const end = second.daemon.eventsOf('run.end', 'quiet').find((e) => e.run === 'quiet-7');
      expect(end).toMatchObject({ status: 'interrupted' });
      expect(end!.orphansStopped).toBeUndefined();
      await sleep(300);
      expect(isRunning(stranger.pid!)).toBe(true);
      await expectStillHealthy(second);
      await expectCleanStop(second);
      expect(isRunning(stranger.pid!)).toBe(true);
    } finally {
      stranger.kill('SIGKILL');
    }
  });
});
