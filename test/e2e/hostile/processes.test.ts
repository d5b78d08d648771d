import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { socketRequest } from '../../helpers/control-socket.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, processesTagged, startHostileDaemon } from '../../helpers/hostile.js';
import { writeJob } from '../../helpers/jobs.js';
import { isRunning, waitFor } from '../../helpers/process.js';
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
});
