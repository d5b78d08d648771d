import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { escapedProcesses } from '../../../src/run/escaped-processes.js';

const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> =>
  Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(resolve, ms, 'pending'))]);

describe('escapedProcesses: leftovers of runs that end in the same turn', () => {
  it('issue 13: every asker settles, even two watchers of the same run, and each sees its own leftovers', async () => {
    const leftover = spawn('sleep', ['30'], { env: { PATH: process.env.PATH, JOBD_INSTANCE: 'unit-inst', JOBD_RUN_ID: 'a-1', JOBD_JOB_ID: 'a' }, stdio: 'ignore', detached: true });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const pgid = process.pid;
      const watchers = [
        escapedProcesses({ instance: 'unit-inst', run: 'a-1', pgid, graceMs: 1_000 }),
        escapedProcesses({ instance: 'unit-inst', run: 'a-1', pgid, graceMs: 1_000 }),
        escapedProcesses({ instance: 'unit-inst', run: 'b-1', pgid, graceMs: 1_000 }),
        escapedProcesses({ instance: undefined, run: 'c-1', pgid, graceMs: 1_000 }),
      ];
      for (const watcher of watchers) watcher.stopLeftovers();
      const settled = await within(Promise.all(watchers.map((w) => w.settled())), 5_000);
      expect(settled).not.toBe('pending');
      expect(watchers.map((w) => w.count())).toEqual([1, 1, 0, 0]);
      const gone = leftover.signalCode !== null ? leftover.signalCode : await within(new Promise((resolve) => leftover.once('exit', (_code, signal) => resolve(signal))), 3_000);
      expect(gone).toBe('SIGTERM');
    } finally {
      leftover.kill('SIGKILL');
    }
  });
});
