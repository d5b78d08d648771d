import { setDeadlineTimer } from './clock.js';
import { isProcessGroupAlive, killProcessGroup } from './kill-process-group.js';

/** Why a run was stopped before it ended by itself; it becomes the run's status. */
export type StopReason = 'timeout' | 'cancelled' | 'interrupted';

export type StopSignal = 'SIGTERM' | 'SIGKILL';

/** How often a stopping group is checked, and how long a group may outlive SIGKILL before we stop waiting. */
const POLL_MS = 20;
const AFTER_KILL_MS = 2_000;

/** The SIGTERM → SIGKILL sequence for one process group, watched until the whole group is gone. */
export interface GroupStopper {
  /** SIGTERM to the group, SIGKILL after killGrace if any member is left; the first stop to reach the group sets the reason. */
  stop(reason: StopReason): void;
  /** SIGKILL to the group now; `reason` counts only when no stop came first. */
  kill(reason: StopReason): void;
  reason(): StopReason | null;
  lastSignal(): StopSignal | null;
  /** Resolves once a stopped group is gone, or 2 s after SIGKILL when it never goes; pending while nothing was stopped. */
  settled: Promise<void>;
  /** Clears every timer and resolves `settled`. */
  dispose(): void;
}

/** Creates the stopper of the group led by `pid`; signalling problems go to `onProblem` in words. */
export function createGroupStopper(input: {
  pid: number;
  killGraceMs: number;
  onProblem: (message: string) => void;
}): GroupStopper {
  const { pid } = input;
  const members = new Set<number>();
  let reason: StopReason | null = null;
  let last: StopSignal | null = null;
  let cancelGrace = (): void => {};
  let poll: NodeJS.Timeout | undefined;
  let giveUp: NodeJS.Timeout | undefined;
  let done = false;
  let resolveSettled = (): void => {};
  const settled = new Promise<void>((resolve) => (resolveSettled = resolve));

  const send = (signal: StopSignal): boolean => {
    const delivered = trySignal(pid, signal, input.onProblem);
    if (delivered) last = signal;
    return delivered;
  };
  const alive = (): boolean => tryAlive(pid, members, input.onProblem);
  const finish = (): void => {
    done = true;
    cancelGrace();
    clearInterval(poll);
    clearTimeout(giveUp);
    resolveSettled();
  };
  const watch = (): void => {
    poll ??= setInterval(() => alive() || finish(), POLL_MS);
  };
  const kill = (why: StopReason): void => {
    if (done) return;
    cancelGrace();
    if (!send('SIGKILL') && reason === null) return;
    reason ??= why;
    watch();
    giveUp ??= setTimeout(() => {
      input.onProblem(`process group ${pid} still present ${AFTER_KILL_MS} ms after SIGKILL; stopped waiting for it`);
      finish();
    }, AFTER_KILL_MS);
  };

  return {
    stop(why) {
      if (done || reason !== null || !send('SIGTERM')) return;
      reason = why;
      cancelGrace = setDeadlineTimer(input.killGraceMs, () => alive() && kill(why));
      watch();
    },
    kill,
    reason: () => reason,
    lastSignal: () => last,
    settled,
    dispose: finish,
  };
}

function trySignal(pid: number, signal: StopSignal, onProblem: (message: string) => void): boolean {
  try {
    return killProcessGroup(pid, signal);
  } catch (error) {
    onProblem(`could not send ${signal} to process group ${pid}: ${(error as Error).message}`);
    return false;
  }
}

/** Whether the group is alive; when that cannot be known, it is reported and taken as alive, so SIGKILL still comes. */
function tryAlive(pid: number, members: Set<number>, onProblem: (message: string) => void): boolean {
  try {
    return isProcessGroupAlive(pid, members);
  } catch (error) {
    onProblem(`could not check process group ${pid}: ${(error as Error).message}`);
    return true;
  }
}
