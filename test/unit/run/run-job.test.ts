import { readFile, realpath, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localSpawner } from '../../../src/run/local-spawner.js';
import { runJob } from '../../../src/run/run-job.js';
import type { Job } from '../../../src/types.js';
import { isRunning, waitFor } from '../../helpers/process.js';
import { makeTempDir, readPidFile, type TempDir } from '../../helpers/temp-dir.js';
import { fixture, makeJob, makeRun, recordingObserver } from './helpers.js';

let temp: TempDir;
beforeEach(async () => {
  temp = await makeTempDir('jobd-run-');
});
afterEach(async () => {
  await temp.cleanup();
});

function start(overrides: Partial<Job>) {
  const { observer, recorded } = recordingObserver();
  const followUpLog = temp.path('logs', 'followups.log');
  const handle = runJob(makeRun(makeJob({ cwd: temp.dir, ...overrides })), { spawner: localSpawner, followUpLog, observer });
  return { handle, recorded, followUpLog };
}

describe('runJob outcomes', () => {
  it('reports exit 0 as ok, with times, pid and output', async () => {
    const { handle, recorded } = start({ command: { shell: 'echo hello; echo oops >&2' } });
    const result = await handle.result;
    expect(result).toMatchObject({ run: 'sample-1', job: 'sample', trigger: 'manual', status: 'ok', exitCode: 0, signal: null });
    expect(result).toMatchObject({ stdout: 'hello\n', stderr: 'oops\n', scheduledAt: '2026-03-04T05:06:07.089Z' });
    expect(result.error).toBeUndefined();
    expect(recorded.starts).toEqual([result.pid]);
    expect(result.pid).toBeGreaterThan(0);
    expect(Date.parse(result.endedAt)).toBeGreaterThanOrEqual(Date.parse(result.startedAt));
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('reports exit 3 as failed with exitCode 3', async () => {
    const { handle } = start({ command: { shell: 'exit 3' } });
    expect(await handle.result).toMatchObject({ status: 'failed', exitCode: 3, signal: null });
  });

  it('reports a command killed by an outside signal as failed', async () => {
    const { handle } = start({ command: { shell: 'kill -KILL $$' } });
    expect(await handle.result).toMatchObject({ status: 'failed', exitCode: null, signal: 'SIGKILL' });
  });

  it('names a missing program', async () => {
    const { handle, recorded } = start({ command: { argv: ['jobd-no-such-program', '-x'] } });
    const result = await handle.result;
    const error = 'command not found: jobd-no-such-program';
    expect(result).toMatchObject({ status: 'failed', exitCode: null, pid: null, error });
    expect(recorded.starts).toEqual([null]);
  });

  it('names a file that may not be executed', async () => {
    await writeFile(temp.path('data.txt'), 'not a program');
    const { handle } = start({ command: { argv: ['./data.txt'] } });
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'failed', exitCode: null, error: 'permission denied: ./data.txt' });
  });

  it('fails without spawning when cwd does not exist', async () => {
    const missing = temp.path('gone');
    const { observer } = recordingObserver();
    const job = makeJob({ cwd: missing, command: { shell: `echo ran > ${temp.path('ran')}` } });
    const result = await runJob(makeRun(job), { spawner: localSpawner, followUpLog: temp.path('f.log'), observer }).result;
    expect(result).toMatchObject({ status: 'failed', pid: null, exitCode: null, error: `cwd does not exist: ${missing}` });
    await expect(readFile(temp.path('ran'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});

describe('runJob environment and arguments', () => {
  it('gives the command the job env and JOBD_* variables', async () => {
    const job = { command: { argv: [fixture('write-env.sh')] }, env: { JOBD_EXTRA: 'x y', OTHER: '1' } };
    const { handle } = start({ ...job, args: ['env.txt'] });
    await handle.result;
    expect((await readFile(temp.path('env.txt'), 'utf8')).trim().split('\n')).toEqual([
      'JOBD_EXTRA=x y',
      'JOBD_JOB_ID=sample',
      'JOBD_RUN_ID=sample-1',
      'JOBD_SCHEDULED_AT=2026-03-04T05:06:07.089Z',
      'JOBD_TRIGGER=manual',
    ]);
  });

  it('runs in the job cwd', async () => {
    const { handle } = start({ command: { shell: 'pwd -P' } });
    expect((await handle.result).stdout.trim()).toBe(await realpath(temp.dir));
  });

  it('passes args to a shell command as $1 $2', async () => {
    const { handle } = start({ command: { shell: 'echo "[$1] [$2] $#"' }, args: ['a b', 'c'] });
    expect((await handle.result).stdout).toBe('[a b] [c] 2\n');
  });

  it('appends args to an argv command', async () => {
    const { handle } = start({ command: { argv: ['echo', 'one'] }, args: ['two', '$3'] });
    expect((await handle.result).stdout).toBe('one two $3\n');
  });
});

describe('runJob output', () => {
  it('emits lines in order per stream and keeps a bounded tail', async () => {
    const script = 'i=1; while [ $i -le 200 ]; do echo "line $i"; echo "err $i" >&2; i=$((i+1)); done';
    const { handle, recorded } = start({ command: { shell: script }, maxOutput: 20 });
    const result = await handle.result;
    const out = recorded.lines.filter((l) => l.stream === 'stdout').map((l) => l.line);
    const err = recorded.lines.filter((l) => l.stream === 'stderr').map((l) => l.line);
    expect(out).toEqual(Array.from({ length: 200 }, (_, i) => `line ${i + 1}`));
    expect(err).toEqual(Array.from({ length: 200 }, (_, i) => `err ${i + 1}`));
    expect(result.stdout).toBe('line 198\nline 199\nline 200\n'.slice(-20));
    expect(Buffer.byteLength(result.stderr)).toBeLessThanOrEqual(20);
    expect(result.stderr.endsWith('err 200\n')).toBe(true);
  });

  it('survives an observer that throws, and says so in the result', async () => {
    const { observer } = recordingObserver();
    const throwing = { ...observer, onOutput: () => { throw new Error('sink closed'); } };
    const job = makeJob({ cwd: temp.dir, command: { shell: 'echo a; echo b' } });
    const result = await runJob(makeRun(job), { spawner: localSpawner, followUpLog: temp.path('f.log'), observer: throwing }).result;
    expect(result).toMatchObject({ status: 'ok', error: 'observer onOutput failed: sink closed' });
  });
});

describe('runJob stop', () => {
  it("stop('cancelled') ends the whole group and reports cancelled, without a follow-up", async () => {
    const pidFile = temp.path('pids', 'grandchild');
    const job = { command: { argv: [fixture('spawn-grandchild.sh')] }, args: [pidFile], killGraceMs: 10_000 };
    const { handle, recorded, followUpLog } = start(job);
    await waitFor(() => recorded.lines.some((l) => l.line === 'ready'), { what: 'the script to be ready' });
    const [grandchild] = await readPidFile(pidFile);
    handle.stop('cancelled');
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'cancelled', signal: 'SIGTERM' });
    expect(result.durationMs).toBeLessThan(5_000);
    expect(isRunning(grandchild!)).toBe(false);
    expect(recorded.timeouts).toEqual([]);
    await expect(readFile(followUpLog, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('kill() after stop() skips the rest of killGrace', async () => {
    const { handle, recorded } = start({ command: { argv: [fixture('ignore-term.sh')] }, killGraceMs: 20_000 });
    await waitFor(() => recorded.lines.some((l) => l.line === 'ready'), { what: 'the script to be ready' });
    handle.stop('interrupted');
    await waitFor(() => recorded.lines.some((l) => l.line === 'got TERM'), { what: 'SIGTERM to arrive' });
    handle.kill();
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'interrupted', signal: 'SIGKILL' });
    expect(result.durationMs).toBeLessThan(15_000);
  });

  it('stop() after the run ended changes nothing', async () => {
    const { handle } = start({ command: { shell: 'exit 0' } });
    const result = await handle.result;
    handle.stop('cancelled');
    handle.kill();
    expect(result.status).toBe('ok');
  });
});
