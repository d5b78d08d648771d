import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { JOBD_BIN, runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { writeJob } from '../helpers/jobs.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const YEARLY = '@yearly';
const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;

describe('issue 14: jobd run <id> --wait', () => {
  const tmp = useTempDir();
  const socket = () => tmp().path('jobd.sock');
  const cli = (...args: string[]) => runCli([...args, '--socket', socket()], { cwd: tmp().dir });

  it('issue 14: run --wait streams the run\'s output as it happens, then the result line, and exits 0 for ok', async () => {
    await writeJob(tmp().jobsDir, 'slow', { schedule: YEARLY, command: 'echo first; echo oops >&2; sleep 1.5; echo second' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const child = spawn(process.execPath, [JOBD_BIN, 'run', 'slow', '--wait', '--socket', socket()], { cwd: tmp().dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let endedWhenFirstSeen: boolean | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (endedWhenFirstSeen === null && stdout.includes('first\n')) endedWhenFirstSeen = daemon.eventsOf('run.end', 'slow').length > 0;
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    // The first line reached the terminal while the run was still going.
    expect(endedWhenFirstSeen).toBe(false);
    expect(stdout).toBe('first\nsecond\nslow-1: ok (exit 0)\n');
    expect(stderr).toBe('oops\n');
  }, 30_000);

  it('issue 14: with retries run --wait waits for the last attempt and exits with its code', async () => {
    await writeJob(tmp().jobsDir, 'flaky', { schedule: YEARLY, retries: 2, retryDelay: '200ms', command: 'echo try $JOBD_RUN_ID; exit 3' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const failed = await cli('run', 'flaky', '--wait');
    expect(failed.code, failed.stderr).toBe(3);
    expect(failed.stdout).toBe('try flaky-1\ntry flaky-2\ntry flaky-3\nflaky-3: failed (exit 3)\n');
    expect(failed.stderr).toContain('jobd: flaky-1: failed (exit 3); retrying at ');
    expect(failed.stderr).toContain('jobd: retry 2 of flaky-1: flaky-3\n');
    expect(daemon.eventsOf('run.end', 'flaky').map((e) => e.retryAt === undefined)).toEqual([false, false, true]);
    expect(daemon.eventsOf('run.start', 'flaky').at(-1)).toMatchObject({ retryOf: 'flaky-1', attempt: 2 });

    const marker = tmp().path('marker');
    await writeJob(tmp().jobsDir, 'second-time', { schedule: YEARLY, retries: 3, retryDelay: '200ms', command: `if [ -f ${marker} ]; then echo fine; else touch ${marker}; exit 4; fi` });
    await daemon.waitForEvent(is('job.loaded', 'second-time'), { timeoutMs: 8_000 });
    const healed = await cli('run', 'second-time', '--wait');
    expect(healed.code, healed.stderr).toBe(0);
    expect(healed.stdout).toBe('fine\nsecond-time-2: ok (exit 0)\n');
  }, 30_000);

  it('issue 14: run --wait exits 1 for a timeout and for an unknown job, saying why', async () => {
    await writeJob(tmp().jobsDir, 'stuck', { schedule: YEARLY, timeout: '500ms', command: 'sleep 30' });
    await startDaemon({ dir: tmp().dir });
    const timedOut = await cli('run', 'stuck', '--wait');
    expect(timedOut.code).toBe(1);
    expect(timedOut.stdout).toMatch(/^stuck-1: timeout \(signal SIG[A-Z]+\)\n$/);
    const unknown = await cli('run', 'nope', '--wait');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('jobd: no job "nope"\n');
  }, 30_000);
});
