import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/** Whether a process exists and is not a zombie (PID 1 here may never reap orphans). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    // /proc vanished between the two checks: the process is gone.
    return false;
  }
}

/** Sends SIGKILL to a process group and to the PID itself, ignoring processes already gone. */
export function killPidQuietly(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // Already gone: nothing to clean up.
    }
  }
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the timeout error. */
  what?: string;
}

/** Polls `predicate` until it returns a truthy value, and returns that value; throws after `timeoutMs`. */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' }: WaitOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}

/** Waits until none of `pids` is alive; the error names the survivors. */
export async function waitForExit(pids: number[], timeoutMs = 5_000): Promise<void> {
  try {
    await waitFor(() => pids.every((pid) => !isRunning(pid)), { timeoutMs });
  } catch {
    throw new Error(`still alive after ${timeoutMs} ms: ${pids.filter(isRunning).join(', ')} (of ${pids.join(', ')})`);
  }
}
