import { setDeadlineTimer } from './clock.js';

/** How often stopping processes are checked, and how long they may outlive SIGKILL before we stop waiting. */
const POLL_MS = 50;
const AFTER_KILL_MS = 2_000;

/** SIGTERM → SIGKILL for a set of single processes (not groups), watched until none is left. */
export interface ProcessesStop {
  /** Skips the rest of the grace period: SIGKILL now. */
  kill(): void;
  /** Resolves once none of the processes is ours any more, or 2 s after SIGKILL. */
  done: Promise<void>;
}

/**
 * Sends SIGTERM to each of `pids` now and SIGKILL after `graceMs` to those still there.
 * `isOurs(pid)` is asked before every signal, so a PID that ended and was reused by an
 * unrelated process is never signalled.
 */
export function stopProcesses(input: { pids: number[]; graceMs: number; isOurs: (pid: number) => boolean }): ProcessesStop {
  let left = input.pids.filter(input.isOurs);
  let resolveDone = (): void => {};
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let killed = false;
  let giveUp: NodeJS.Timeout | undefined;
  const signal = (sig: NodeJS.Signals): void => {
    for (const pid of left) {
      try {
        process.kill(pid, sig);
      } catch {
        // Gone since it was checked (ESRCH); the next check drops it.
      }
    }
  };
  const refresh = (): boolean => {
    left = left.filter(input.isOurs);
    return left.length > 0;
  };
  const finish = (): void => {
    clearInterval(poll);
    clearTimeout(giveUp);
    cancelGrace();
    resolveDone();
  };
  const kill = (): void => {
    if (killed) return;
    killed = true;
    cancelGrace();
    if (refresh()) signal('SIGKILL');
    giveUp = setTimeout(finish, AFTER_KILL_MS);
  };
  signal('SIGTERM');
  const cancelGrace = setDeadlineTimer(input.graceMs, kill);
  const poll = setInterval(() => refresh() || finish(), POLL_MS);
  if (left.length === 0) finish();
  return { kill, done };
}
