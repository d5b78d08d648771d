import { describe, expect, it } from 'vitest';
import { elapsedMs, monotonicNow, setDeadlineTimer } from '../../../src/run/clock.js';

describe('setDeadlineTimer', () => {
  it('never fires before its delay has passed on the monotonic clock', async () => {
    const waits = Array.from({ length: 20 }, (_, i) =>
      new Promise<number>((resolve) => {
        const start = monotonicNow();
        setDeadlineTimer(5 + i, () => resolve(elapsedMs(start) - (5 + i)));
      }),
    );
    const lateness = await Promise.all(waits);
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
  });

  it('can be cancelled', async () => {
    let fired = false;
    const cancel = setDeadlineTimer(10, () => (fired = true));
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fired).toBe(false);
  });
});

describe('elapsedMs', () => {
  it('measures in milliseconds to 0.1 ms', async () => {
    const start = monotonicNow();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const elapsed = elapsedMs(start);
    expect(elapsed).toBeGreaterThanOrEqual(29);
    expect(Number(elapsed.toFixed(1))).toBe(elapsed);
  });
});
