import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, HEARTBEAT, spawnerPidOf, startHostileDaemon } from '../../helpers/hostile.js';
import { writeJob } from '../../helpers/jobs.js';

/** The lowest descriptor number the process does not use: with the limit there, it can open nothing new. */
function lowestFreeFd(pid: number): number {
  const used = new Set(readdirSync(`/proc/${pid}/fd`).map(Number));
  let fd = 0;
  while (used.has(fd)) fd += 1;
  return fd;
}

function setSoftNofile(pid: number, soft: number): void {
  execFileSync('prlimit', ['--pid', String(pid), `--nofile=${soft}:`]);
}

function softNofile(pid: number): number {
  const out = execFileSync('prlimit', ['--pid', String(pid), '--nofile', '--raw', '--noheadings', '-o', 'SOFT'], { encoding: 'utf8' });
  return Number(out.trim());
}

describe('hostile: processes under descriptor exhaustion', () => {
  const tmp = useTempDir();

  it('issue 11.6: with no file descriptor left where commands are spawned, a run and its onFailure hook fail with the reason; firing recovers once fds are free', async () => {
    await writeJob(tmp().jobsDir, 'hooked', { schedule: '@every 1s', command: 'true', onFailure: 'true' });
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    const { daemon } = target;
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === HEARTBEAT && e.status === 'ok', { timeoutMs: 8_000 });
    const spawner = await spawnerPidOf(target);
    const original = softNofile(spawner);
    const mark = daemon.mark();
    setSoftNofile(spawner, lowestFreeFd(spawner));
    try {
      const failed = await daemon.waitForEvent(
        (e) => e.event === 'run.end' && e.job === HEARTBEAT && e.status === 'failed',
        { after: mark, timeoutMs: 8_000 },
      );
      expect(failed.error).toBe('cannot start: too many open files (EMFILE)');
      const hook = await daemon.waitForEvent((e) => e.event === 'followup.error' && e.job === 'hooked', { after: mark, timeoutMs: 8_000 });
      expect(hook.message).toBe('onFailure command: cannot start: too many open files (EMFILE)');
    } finally {
      setSoftNofile(spawner, original);
    }
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 13: with no file descriptor left in the daemon itself, commands still start and end ok through the spawner', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    const { daemon } = target;
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === HEARTBEAT && e.status === 'ok', { timeoutMs: 8_000 });
    const original = softNofile(daemon.pid);
    const mark = daemon.mark();
    setSoftNofile(daemon.pid, lowestFreeFd(daemon.pid));
    try {
      const ended = await daemon.waitForEvents((e) => e.event === 'run.end' && e.job === HEARTBEAT, 3, { after: mark, timeoutMs: 10_000 });
      expect(ended.map((e) => e.status)).toEqual(['ok', 'ok', 'ok']);
    } finally {
      setSoftNofile(daemon.pid, original);
    }
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });
});
