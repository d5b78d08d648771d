import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOBD_BIN, runCli } from '../../helpers/cli.js';
import { socketRequest } from '../../helpers/control-socket.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, HEARTBEAT, processesTagged, startHostileDaemon, type HostileDaemon } from '../../helpers/hostile.js';
import { writeJob } from '../../helpers/jobs.js';
import { isRunning, killPidQuietly, waitFor } from '../../helpers/process.js';

type Line = Record<string, unknown>;

/** The JSON lines of a log file so far (none when it does not exist yet). */
function logFileEvents(path: string): Line[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Line);
}

const heartbeatsOk = (path: string): number =>
  logFileEvents(path).filter((e) => e.event === 'run.end' && e.job === HEARTBEAT && e.status === 'ok').length;

/** With stdout gone the health checks read `--log-file`: /status answers and the heartbeat goes on. */
async function expectHealthyByLogFile(target: HostileDaemon, logFile: string): Promise<void> {
  expect(target.daemon.hasExited(), `daemon exited; stderr: ${target.daemon.stderr()}`).toBe(false);
  expect((await socketRequest(target.socket, 'GET', '/status', { timeoutMs: 5_000 })).status).toBe(200);
  const before = heartbeatsOk(logFile);
  await waitFor(() => heartbeatsOk(logFile) >= before + 2, { timeoutMs: 10_000, what: `2 more heartbeats in ${logFile}` });
  expect(target.daemon.hasExited()).toBe(false);
}

const stderrLines = (target: HostileDaemon, pattern: RegExp): string[] =>
  target.daemon.stderr().split('\n').filter((line) => pattern.test(line));

describe('hostile: log destinations that fail', () => {
  const tmp = useTempDir();

  it('issue 11.5: --log-file on a full disk (/dev/full, ENOSPC) is one stderr line per 10 s with lines lost; the daemon goes on', async () => {
    const began = Date.now();
    const target = await startHostileDaemon({ dir: tmp().dir, args: ['--log-file', '/dev/full'] });
    await expectStillHealthy(target);
    process.kill(target.daemon.pid, 'SIGHUP');
    await expectStillHealthy(target);
    const reports = stderrLines(target, /log file \/dev\/full: write failed \(ENOSPC/);
    // Every line of every heartbeat failed, yet stderr got one line per 10 s window at most.
    expect(reports.length, target.daemon.stderr()).toBeGreaterThanOrEqual(1);
    expect(reports.length, target.daemon.stderr()).toBeLessThanOrEqual(1 + Math.floor((Date.now() - began) / 10_000));
    expect(reports[0]).toMatch(/; \d+ log lines? lost$/);
    expect(target.daemon.stderr().split('\n').filter((line) => line !== '')).toEqual(reports);
    await expectCleanStop(target);
  });

  it('issue 11.5: SIGHUP when the log path became a directory (EISDIR) is reported; the daemon goes on and the next SIGHUP reopens it', async () => {
    const logFile = tmp().path('logs', 'jobd.log');
    const target = await startHostileDaemon({ dir: tmp().dir, args: ['--log-file', logFile] });
    await waitFor(() => heartbeatsOk(logFile) >= 1, { what: 'a heartbeat in the log file' });
    await rename(logFile, `${logFile}.1`);
    await mkdir(logFile);
    process.kill(target.daemon.pid, 'SIGHUP');
    await waitFor(() => /open failed \(EISDIR/.test(target.daemon.stderr()), { what: 'the EISDIR report on stderr' });
    expect(stderrLines(target, /jobd: log file .*jobd\.log: open failed \(EISDIR/)).toHaveLength(1);
    await expectStillHealthy(target);
    await rmdir(logFile);
    process.kill(target.daemon.pid, 'SIGHUP');
    await waitFor(() => heartbeatsOk(logFile) >= 1, { what: 'heartbeats in the reopened log file' });
    await expectCleanStop(target);
  });
});

describe('hostile: a log file that cannot be opened at start-up', () => {
  const tmp = useTempDir();

  it('issue 11.5: --log-file naming a directory stops start-up with one line naming it, exit 1, no socket left', async () => {
    await mkdir(tmp().path('taken'));
    const result = await runCli(
      ['start', '--jobs-dir', tmp().jobsDir, '--state-file', tmp().path('jobs_state.json'), '--log-file', tmp().path('taken'), '--no-pretty'],
      { cwd: tmp().dir },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`jobd: ${tmp().path('taken')}: cannot open the log file (EISDIR: illegal operation on a directory, open '${tmp().path('taken')}')\n`);
    expect(existsSync(tmp().path('jobd.sock'))).toBe(false);
  });
});

describe('hostile: stdout that goes away', () => {
  const tmp = useTempDir();

  it('issue 11.7: stdout closed under the daemon (EPIPE): it goes on with --log-file, says so once, stops cleanly and removes its socket', async () => {
    const logFile = tmp().path('jobd.log');
    const target = await startHostileDaemon({ dir: tmp().dir, args: ['--log-file', logFile] });
    target.daemon.child.stdout!.destroy();
    await waitFor(() => /stdout is gone/.test(target.daemon.stderr()), { what: 'the stdout notice on stderr' });
    await expectHealthyByLogFile(target, logFile);
    expect(stderrLines(target, /stdout is gone/)).toEqual([`jobd: stdout is gone (EPIPE); logging only to ${logFile}`]);
    await expectCleanStop(target);
    expect(existsSync(target.socket)).toBe(false);
    expect(logFileEvents(logFile).some((e) => e.event === 'daemon.stop')).toBe(true);
  });

  it('issue 11.7: jobd start --pretty into a reader that closes after 2 lines (like head -2) keeps running and stops cleanly', async () => {
    const logFile = tmp().path('jobd.log');
    const target = await startHostileDaemon({ dir: tmp().dir, args: ['--pretty', '--log-file', logFile], waitForStart: false });
    await waitFor(() => target.daemon.rawLines.length >= 2, { what: '2 pretty lines' });
    target.daemon.child.stdout!.destroy();
    expect(target.daemon.rawLines[0]).toMatch(/^\[\d{4}-\d\d-\d\dT/);
    await waitFor(() => logFileEvents(logFile).some((e) => e.event === 'daemon.start'), { what: 'daemon.start in the log file' });
    await waitFor(() => /stdout is gone \(EPIPE\)/.test(target.daemon.stderr()), { what: 'the stdout notice on stderr' });
    await expectHealthyByLogFile(target, logFile);
    await expectCleanStop(target);
    expect(existsSync(target.socket)).toBe(false);
  });

  it('issue 11.7: a stdout reader that stops reading costs log lines (said on stderr), never the firing', async () => {
    const logFile = tmp().path('jobd.log');
    await writeJob(tmp().jobsDir, 'chatty', { schedule: '@every 1s', command: 'seq 1 20000', overlap: 'skip' });
    const target = await startHostileDaemon({ dir: tmp().dir, args: ['--log-file', logFile] });
    target.daemon.child.stdout!.pause();
    await waitFor(() => /jobd: stdout: write failed \(EAGAIN/.test(target.daemon.stderr()), { what: 'the EAGAIN report', timeoutMs: 15_000 });
    await expectHealthyByLogFile(target, logFile);
    target.daemon.child.stdout!.resume();
    await expectCleanStop(target);
  });

  it('issue 11.7: closing the terminal jobd runs in (SIGHUP, then EIO on stdout) stops neither it nor its run; SIGTERM still stops both', async () => {
    // `script` gives jobd a real terminal; killing it closes the terminal as tmux kill-window does.
    const { dir, jobsDir } = tmp();
    const logFile = join(dir, 'jobd.log');
    const socket = join(dir, 'jobd.sock');
    const tag = `jobd-hostile-pty-${process.pid}-${Date.now()}`;
    await writeJob(jobsDir, HEARTBEAT, { schedule: '@every 1s', command: 'true' });
    await writeJob(jobsDir, 'sleeper', { schedule: '@every 1s', command: 'sleep 30', overlap: 'skip' });
    const start = [process.execPath, JOBD_BIN, 'start', '--jobs-dir', jobsDir, '--state-file', join(dir, 'jobs_state.json'),
      '--socket', socket, '--log-file', logFile, '--shutdown-grace', '200ms', '--pretty'].map((a) => `'${a}'`).join(' ');
    const terminal = spawn('script', ['-qfec', `exec ${start}`, '/dev/null'], {
      cwd: dir, env: { ...process.env, JOBD_HOSTILE_TAG: tag }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    terminal.stdout.resume();
    let pid = 0;
    try {
      const started = await waitFor(() => logFileEvents(logFile).find((e) => e.event === 'daemon.start'), { what: 'daemon.start' });
      pid = Number(started.pid);
      await waitFor(() => logFileEvents(logFile).some((e) => e.event === 'run.start' && e.job === 'sleeper'), { what: 'the sleeper run' });
      terminal.kill('SIGKILL');
      const lines = logFileEvents(logFile).length;
      await waitFor(() => logFileEvents(logFile).length > lines + 4, { what: 'log lines after the terminal closed' });
      const status = await socketRequest(socket, 'GET', '/status', { timeoutMs: 5_000 });
      expect(status.status).toBe(200);
      expect(JSON.stringify(status.json)).toContain('sleeper');
      const before = heartbeatsOk(logFile);
      await waitFor(() => heartbeatsOk(logFile) >= before + 2, { what: 'heartbeats after the hangup' });
      expect(isRunning(pid)).toBe(true);
      process.kill(pid, 'SIGTERM');
      await waitFor(() => !isRunning(pid), { what: 'jobd to exit after SIGTERM' });
      const stop = logFileEvents(logFile).find((e) => e.event === 'daemon.stop');
      expect(stop).toMatchObject({ signal: 'SIGTERM', interrupted: 1 });
      await waitFor(() => processesTagged(tag).length === 0, { what: `no process left carrying ${tag}` });
      expect(existsSync(socket)).toBe(false);
    } finally {
      terminal.kill('SIGKILL');
      if (pid && isRunning(pid)) killPidQuietly(pid);
    }
  });
});
