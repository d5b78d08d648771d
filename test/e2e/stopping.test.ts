import { spawn } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOBD_BIN, REPO_ROOT, runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { writeJob } from '../helpers/jobs.js';
import { sleep, waitFor } from '../helpers/process.js';
import { startDaemon } from '../helpers/start-daemon.js';

/** Starts `command` in its own process group, as a terminal runs a foreground job; `interrupt` is a terminal's Ctrl-C. */
function inTerminal(command: string, args: string[], cwd: string) {
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    interrupt: () => process.kill(-child.pid!, 'SIGINT'),
  };
}

describe('stopping (issue 14)', () => {
  const tmp = useTempDir();
  const daemonOptions = (dir: string) => ['--state-file', join(dir, 's.json'), '--socket', join(dir, 'jobd.sock'), '--followup-log', join(dir, 'f.log'), '--no-pretty'];

  it('issue 14: the first SIGINT with a run going says at once what it waits for; the second says "stopping runs now" and exits 0', async () => {
    await writeJob(tmp().jobsDir, 'slow-export', { schedule: '@yearly', command: 'sleep 30' });
    const daemon = await startDaemon({ dir: tmp().dir, shutdownGrace: '10s' });
    await runCli(['run', 'slow-export', '--socket', tmp().path('jobd.sock')], { cwd: tmp().dir });
    await daemon.waitForEvent('run.start');

    const sentAt = Date.now();
    daemon.child.kill('SIGINT');
    await waitFor(() => daemon.stderr().includes('\n') || null, { timeoutMs: 5_000, what: 'the stopping line' });
    expect(Date.now() - sentAt).toBeLessThan(3_000);
    expect(daemon.stderr()).toBe('stopping: waiting up to 10s for 1 run (slow-export-1); Ctrl-C again to stop it now\n');
    expect(await daemon.waitForEvent('daemon.stopping')).toMatchObject({ level: 'info', signal: 'SIGINT', runs: ['slow-export-1'], graceMs: 10_000 });

    // A person's second Ctrl-C; one within 300 ms is the same press delivered twice.
    await sleep(500);
    expect(daemon.hasExited()).toBe(false);
    daemon.child.kill('SIGINT');
    const exit = await daemon.exitWithin(8_000);
    expect(exit.code).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(8_000);
    expect(daemon.stderr()).toMatch(/\nstopping runs now\n$/);
    expect(daemon.eventsOf('run.end', 'slow-export')[0]).toMatchObject({ status: 'interrupted' });
  });

  it('issue 14: with nothing running a stop prints nothing on stderr and logs daemon.stopping with no runs', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    expect((await daemon.stop('SIGTERM')).code).toBe(0);
    expect(daemon.eventsOf('daemon.stopping')[0]).toMatchObject({ signal: 'SIGTERM', runs: [] });
    expect(daemon.stderr()).toBe('');
  });

  it('issue 14: Ctrl-C on `npm start` (the repo\'s own start script) shows the stopping line and npm exits 0', async () => {
    const { scripts } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
    const start = `${scripts.start.replace('bin/jobd.js', JOBD_BIN)} ${daemonOptions(tmp().dir).join(' ')} --shutdown-grace 1s`;
    await writeFile(tmp().path('package.json'), JSON.stringify({ name: 'stop-test', version: '1.0.0', private: true, scripts: { start } }));
    await writeJob(tmp().jobsDir, 'slow', { schedule: '@yearly', command: 'sleep 30' });
    const npm = inTerminal('npm', ['run', 'start', '--silent'], tmp().dir);
    await waitFor(() => npm.stdout().includes('"daemon.start"'), { timeoutMs: 20_000, what: 'daemon.start through npm' });
    await runCli(['run', 'slow', '--socket', tmp().path('jobd.sock')], { cwd: tmp().dir });
    await waitFor(() => npm.stdout().includes('"run.start"'), { what: 'run.start through npm' });

    npm.interrupt();
    expect(await npm.exited).toEqual({ code: 0, signal: null });
    expect(npm.stderr()).toContain('stopping: waiting up to 1s for 1 run (slow-1); Ctrl-C again to stop it now\n');
    expect(npm.stdout()).toContain('"event":"daemon.stop"');
    // npm forwards the Ctrl-C jobd already got: that is still one press, so the grace is given.
    expect(npm.stderr()).not.toContain('stopping runs now');
  });

  it('issue 14: the same signal twice within a moment counts as one press: the grace is still given', async () => {
    await writeJob(tmp().jobsDir, 'slow', { schedule: '@yearly', command: 'sleep 30' });
    const daemon = await startDaemon({ dir: tmp().dir, shutdownGrace: '2s' });
    await runCli(['run', 'slow', '--socket', tmp().path('jobd.sock')], { cwd: tmp().dir });
    await daemon.waitForEvent('run.start');
    const sentAt = Date.now();
    daemon.child.kill('SIGTERM');
    daemon.child.kill('SIGTERM');
    expect((await daemon.exitWithin(8_000)).code).toBe(0);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1_900);
    expect(daemon.stderr()).not.toContain('stopping runs now');
  });

  it('issue 14: as the README says, Ctrl-C on `npx jobd start` ends npx by SIGINT (status 130) after jobd\'s clean stop; `--script-shell bash` exits 0', async () => {
    await writeFile(tmp().path('package.json'), JSON.stringify({ name: 'npx-test', version: '1.0.0', private: true }));
    await mkdir(tmp().path('node_modules', '.bin'), { recursive: true });
    await symlink(JOBD_BIN, tmp().path('node_modules', '.bin', 'jobd'));
    for (const [extra, expected] of [[[], { code: null, signal: 'SIGINT' }], [['--script-shell', 'bash'], { code: 0, signal: null }]] as const) {
      const npx = inTerminal('npx', [...extra, 'jobd', 'start', '--jobs-dir', 'jobs.d', ...daemonOptions(tmp().dir)], tmp().dir);
      await waitFor(() => npx.stdout().includes('"daemon.start"'), { timeoutMs: 20_000, what: 'daemon.start through npx' });
      npx.interrupt();
      expect(await npx.exited).toEqual(expected);
      expect(npx.stdout()).toContain('"event":"daemon.stop"');
    }
  });
});
