import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { stopProcesses } from '../../../src/run/stop-processes.js';
import { isRunning, waitForExit } from '../../helpers/process.js';
import { fixture } from './helpers.js';

function started(file: string, args: string[] = []) {
  const child = spawn(file, args, { stdio: 'ignore' });
  return { pid: child.pid!, child };
}

describe('stopProcesses', () => {
  it('SIGTERMs each process and resolves once they are gone', async () => {
    const a = started('sleep', ['60']);
    const b = started('sleep', ['60']);
    await stopProcesses({ pids: [a.pid, b.pid], graceMs: 5_000, isOurs: isRunning }).done;
    await waitForExit([a.pid, b.pid], 1_000);
  });

  it('SIGKILLs a process that ignores SIGTERM once the grace period is over', async () => {
    const stubborn = started(fixture('ignore-term.sh'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const begun = Date.now();
    await stopProcesses({ pids: [stubborn.pid], graceMs: 300, isOurs: isRunning }).done;
    expect(Date.now() - begun).toBeGreaterThanOrEqual(290);
    expect(isRunning(stubborn.pid)).toBe(false);
  });

  it('issue 11.15: never signals a PID that is no longer ours', async () => {
    const stranger = started('sleep', ['60']);
    try {
      await stopProcesses({ pids: [stranger.pid], graceMs: 100, isOurs: () => false }).done;
      expect(isRunning(stranger.pid)).toBe(true);
    } finally {
      stranger.child.kill('SIGKILL');
    }
  });
});
