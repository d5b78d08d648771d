import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { escapedProcesses, stopRunProcesses } from '../../../src/run/escaped-processes.js';

const exitSignal = (child: ChildProcess): Promise<NodeJS.Signals | null | 'pending'> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.signalCode)
    : within(new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal))), 3_000);

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
      expect(await exitSignal(leftover)).toBe('SIGTERM');
    } finally {
      leftover.kill('SIGKILL');
    }
  });
});

describe('stopRunProcesses: a start whose answer was lost', () => {
  it('issue 13: stops the processes of that run wherever they are, and only those, once they are gone', async () => {
    const marked = (run: string) =>
      spawn('sleep', ['30'], { env: { PATH: process.env.PATH, JOBD_INSTANCE: 'unit-lost', JOBD_RUN_ID: run, JOBD_JOB_ID: 'x' }, stdio: 'ignore', detached: true });
    const lost = marked('x-7');
    const other = marked('x-8');
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await within(stopRunProcesses({ instance: 'unit-lost', run: 'x-7', graceMs: 1_000 }), 5_000)).toBe(1);
      expect(await exitSignal(lost)).toBe('SIGTERM');
      expect(other.signalCode).toBeNull();
      expect(await stopRunProcesses({ instance: undefined, run: 'x-8', graceMs: 1_000 })).toBe(0);
      expect(other.signalCode).toBeNull();
    } finally {
      lost.kill('SIGKILL');
      other.kill('SIGKILL');
    }
  });
});
