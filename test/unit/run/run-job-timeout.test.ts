import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProcessGroupAlive } from '../../../src/run/kill-process-group.js';
import { localSpawner } from '../../../src/run/local-spawner.js';
import { runJob } from '../../../src/run/run-job.js';
import type { FollowUpRecord, Job } from '../../../src/types.js';
import { isRunning, waitFor } from '../../helpers/process.js';
import { makeTempDir, readPidFile, type TempDir } from '../../helpers/temp-dir.js';
import { fixture, makeJob, makeRun, recordingObserver } from './helpers.js';

let temp: TempDir;
beforeEach(async () => {
  temp = await makeTempDir('jobd-timeout-');
});
afterEach(async () => {
  await temp.cleanup();
});

function start(overrides: Partial<Job>, followUpLog = temp.path('logs', 'deep', 'followups.log')) {
  const { observer, recorded } = recordingObserver();
  const handle = runJob(makeRun(makeJob({ cwd: temp.dir, ...overrides })), { spawner: localSpawner, followUpLog, observer });
  return { handle, recorded, followUpLog };
}

async function followUpLines(path: string): Promise<FollowUpRecord[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((line) => JSON.parse(line) as FollowUpRecord);
}

describe('runJob timeout', () => {
  it('stops the whole group at the deadline and reports timeout', async () => {
    const { handle } = start({ command: { shell: 'sleep 60 & sleep 60; wait' }, timeoutMs: 500 });
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'timeout', exitCode: null, signal: 'SIGTERM' });
    expect(result.durationMs).toBeGreaterThanOrEqual(500);
    expect(result.durationMs).toBeLessThan(10_000);
    expect(isProcessGroupAlive(result.pid!)).toBe(false);
  });

  it('leaves no grandchild alive', async () => {
    const pidFile = temp.path('pids', 'grandchild');
    const { handle } = start({ command: { argv: [fixture('spawn-grandchild.sh')] }, args: [pidFile], timeoutMs: 500 });
    const result = await handle.result;
    const [grandchild] = await readPidFile(pidFile);
    expect(result.status).toBe('timeout');
    expect(grandchild).toBeGreaterThan(0);
    expect(isRunning(grandchild!)).toBe(false);
  });

  it('SIGKILLs a command that ignores SIGTERM once killGrace has passed', async () => {
    const { handle, recorded, followUpLog } = start({
      command: { argv: [fixture('ignore-term.sh')] },
      // The script must have installed its trap before the deadline, even on a loaded machine.
      timeoutMs: 2_500,
      killGraceMs: 500,
    });
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'timeout', signal: 'SIGKILL' });
    expect(recorded.lines.map((l) => l.line)).toContain('got TERM');
    const [record] = await followUpLines(followUpLog);
    expect(record!.signal).toBe('SIGKILL');
    expect(record!.elapsedMs).toBeGreaterThanOrEqual(3_000);
    expect(recorded.timeouts).toEqual([record]);
  });

  it('SIGKILLs a grandchild that ignores SIGTERM after its parent exited', async () => {
    const pidFile = temp.path('pids', 'grandchild');
    const job = { command: { argv: [fixture('spawn-grandchild.sh')] }, args: [pidFile, 'ignore-term'] };
    const { handle, followUpLog } = start({ ...job, timeoutMs: 500, killGraceMs: 500 });
    const result = await handle.result;
    const [grandchild] = await readPidFile(pidFile);
    expect(result).toMatchObject({ status: 'timeout', signal: 'SIGTERM' });
    expect(isRunning(grandchild!)).toBe(false);
    expect(result.durationMs).toBeGreaterThanOrEqual(1_000);
    expect((await followUpLines(followUpLog))[0]!.signal).toBe('SIGKILL');
  });
});

describe('runJob follow-up log', () => {
  it('creates the log with its directories and appends one full JSON line per timeout', async () => {
    const first = start({ command: { shell: 'sleep 30' }, args: ['x y'], timeoutMs: 300 });
    const firstResult = await first.handle.result;
    await start({ command: { shell: 'sleep 30' }, timeoutMs: 300 }).handle.result;
    const records = await followUpLines(first.followUpLog);
    expect(records).toHaveLength(2);
    expect(records[0]).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      job: 'sample',
      run: 'sample-1',
      reason: 'timeout',
      timeoutMs: 300,
      elapsedMs: firstResult.durationMs,
      pid: firstResult.pid,
      command: "sleep 30 'x y'",
      signal: 'SIGTERM',
    });
    expect(records[0]!.elapsedMs).toBeGreaterThanOrEqual(300);
  });

  it('is not created by a failing run or a run that ends before its timeout', async () => {
    const failing = start({ command: { shell: 'exit 1' }, timeoutMs: 5_000 });
    expect((await failing.handle.result).status).toBe('failed');
    expect((await start({ command: { shell: 'true' }, timeoutMs: 5_000 }).handle.result).status).toBe('ok');
    expect(failing.recorded.timeouts).toEqual([]);
    await expect(readFile(failing.followUpLog)).rejects.toThrow(/ENOENT/);
  });

  it('reports an unwritable log and still ends the run as timeout', async () => {
    await writeFile(temp.path('plain-file'), '');
    const unwritable = temp.path('plain-file', 'followups.log');
    const { handle, recorded } = start({ command: { shell: 'sleep 30' }, timeoutMs: 300 }, unwritable);
    expect((await handle.result).status).toBe('timeout');
    const message = expect.stringContaining('cannot write the follow-up log: EEXIST');
    expect(recorded.followUpErrors).toEqual([{ path: unwritable, message }]);
  });
});

describe('runJob onTimeout', () => {
  it('runs the onTimeout command with JOBD_REASON, JOBD_ELAPSED_MS and JOBD_FOLLOWUP_LOG', async () => {
    await mkdir(temp.path('out'));
    const onTimeout = { shell: 'env | grep "^JOBD_" | sort > out/env.tmp && mv out/env.tmp out/env.txt' };
    const { handle, followUpLog } = start({ command: { shell: 'sleep 30' }, timeoutMs: 300, onTimeout });
    const result = await handle.result;
    const text = await waitFor(() => readFile(temp.path('out', 'env.txt'), 'utf8'), { what: 'onTimeout output' });
    const env = Object.fromEntries(text.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
    expect(env).toMatchObject({
      JOBD_REASON: 'timeout',
      JOBD_ELAPSED_MS: String(Math.round(result.durationMs)),
      JOBD_FOLLOWUP_LOG: followUpLog,
      JOBD_JOB_ID: 'sample',
      JOBD_RUN_ID: 'sample-1',
      JOBD_TRIGGER: 'manual',
    });
  });

  it('reports an onTimeout command that fails', async () => {
    const onTimeout = { shell: 'exit 4' };
    const { handle, recorded } = start({ command: { shell: 'sleep 30' }, timeoutMs: 300, onTimeout });
    expect((await handle.result).status).toBe('timeout');
    await waitFor(() => recorded.followUpErrors.length > 0, { what: 'onFollowUpError' });
    expect(recorded.followUpErrors).toEqual([{ message: 'onTimeout command exited with code 4' }]);
  });
});
