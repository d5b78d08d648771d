import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, HEARTBEAT, processesTagged, spawnerPidOf, startHostileDaemon } from '../../helpers/hostile.js';
import { writeJob } from '../../helpers/jobs.js';
import { isRunning, killPidQuietly, sleep, waitFor } from '../../helpers/process.js';

/** The parent of `pid`, from /proc/<pid>/stat (the field after the state, past the command's parentheses). */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (parentOf(Number(name)) === pid) children.push(Number(name));
    } catch {
      // Ended while we looked.
    }
  }
  return children;
}

describe('hostile: the spawner child that starts every command (issue 13)', () => {
  const tmp = useTempDir();

  it('issue 13: every command is started by the spawner child, and the spawner is the daemon\'s only child', async () => {
    await writeJob(tmp().jobsDir, 'sleeper', { schedule: '@every 1s', command: 'sleep 30', overlap: 'skip' });
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '200ms' });
    const start = await target.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'sleeper', { timeoutMs: 8_000 });
    const spawner = await spawnerPidOf(target);
    expect(parentOf(Number(start.pid))).toBe(spawner);
    expect(parentOf(spawner)).toBe(target.daemon.pid);
    expect(childrenOf(target.daemon.pid)).toEqual([spawner]);
    await expectCleanStop(target);
  });

  it('issue 13: kill -9 of the spawner mid-run: the run ends interrupted saying so, its process group is stopped, and later runs start through a new spawner', async () => {
    await writeJob(tmp().jobsDir, 'sleeper', { schedule: '@every 1s', command: 'sleep 30', overlap: 'skip' });
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '200ms' });
    const { daemon } = target;
    const start = await daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'sleeper', { timeoutMs: 8_000 });
    const spawner = await spawnerPidOf(target);
    const mark = daemon.mark();
    process.kill(spawner, 'SIGKILL');
    const end = await daemon.waitForEvent((e) => e.event === 'run.end' && e.run === start.run, { after: mark, timeoutMs: 10_000 });
    expect(end.status).toBe('interrupted');
    expect(end.error).toContain('lost the spawner process that watched the command');
    await waitFor(() => !isRunning(Number(start.pid)), { timeoutMs: 5_000, what: `sleep ${start.pid} stopped with its group` });
    const problem = await daemon.waitForEvent((e) => e.event === 'daemon.error', { after: mark, timeoutMs: 5_000 });
    expect(problem.message).toMatch(/spawner process/);
    await expectStillHealthy(target);
    const next = await spawnerPidOf(target);
    expect(next).not.toBe(spawner);
    await expectCleanStop(target);
  });

  it('issue 13: a stopped spawner is replaced once a start goes unanswered for 10 s: those runs end interrupted, and firing goes on', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '200ms' });
    const { daemon } = target;
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === HEARTBEAT && e.status === 'ok', { timeoutMs: 8_000 });
    const spawner = await spawnerPidOf(target);
    const mark = daemon.mark();
    process.kill(spawner, 'SIGSTOP');
    try {
      const wedged = await daemon.waitForEvent((e) => e.event === 'daemon.error' && /answered no start/.test(String(e.message)), { after: mark, timeoutMs: 20_000 });
      expect(wedged.message).toContain(`pid ${spawner}`);
      const unanswered = await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === HEARTBEAT, { after: mark, timeoutMs: 5_000 });
      expect(unanswered.status).toBe('interrupted');
      expect(unanswered.error).toContain('ended before it said whether the command started');
      await waitFor(() => !isRunning(spawner), { timeoutMs: 5_000, what: `stopped spawner ${spawner} killed` });
    } finally {
      killPidQuietly(spawner);
    }
    await expectStillHealthy(target);
    expect(await spawnerPidOf(target)).not.toBe(spawner);
    await expectCleanStop(target);
  });

  it('issue 13: SIGTERM while the spawner is stopped ends the daemon cleanly, and leaves no spawner behind', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '200ms' });
    const { daemon } = target;
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === HEARTBEAT && e.status === 'ok', { timeoutMs: 8_000 });
    const spawner = await spawnerPidOf(target);
    process.kill(spawner, 'SIGSTOP');
    try {
      // A heartbeat start or two now wait on the stopped spawner.
      await sleep(1_500);
      const stoppedAt = Date.now();
      await expectCleanStop(target);
      expect(Date.now() - stoppedAt).toBeLessThan(20_000);
      expect(isRunning(spawner)).toBe(false);
      expect(processesTagged(target.tag)).toEqual([]);
    } finally {
      killPidQuietly(spawner);
    }
  });
});
