/** The monotonic clock, in nanoseconds. */
export function monotonicNow(): bigint {
  return process.hrtime.bigint();
}

/** Milliseconds since `start` on the monotonic clock, to 0.1 ms. */
export function elapsedMs(start: bigint): number {
  return Math.round(Number(monotonicNow() - start) / 1e5) / 10;
}

// setTimeout treats longer delays as 1 ms; the re-check below covers the rest of a longer wait.
const MAX_TIMER_DELAY = 2_147_483_647;

/** Calls `action` once at least `ms` have passed on the monotonic clock; returns the cancel function. */
export function setDeadlineTimer(ms: number, action: () => void): () => void {
  const start = monotonicNow();
  let timer: NodeJS.Timeout;
  const arm = (delay: number): void => {
    timer = setTimeout(() => {
      // Timers run on the event loop's cached millisecond clock and can fire a little early;
      // a capped long delay also lands here before its time.
      const left = ms - Number(monotonicNow() - start) / 1e6;
      if (left > 0) arm(Math.ceil(left));
      else action();
    }, Math.min(delay, MAX_TIMER_DELAY));
  };
  arm(ms);
  return () => clearTimeout(timer);
}
