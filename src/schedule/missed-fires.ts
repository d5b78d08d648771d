import type { MissedFires, Schedule } from '../types.js';
import { nextFire } from './next-fire.js';

/** Cron fires are counted one by one (croner steps ~0.1 ms each) up to this many; past it the count says it stopped. */
const COUNT_LIMIT = 100;
/** No cron schedule fires more often than once a second: a fire served sooner missed nothing. */
const CRON_FINEST_MS = 1_000;

/**
 * The fires of `schedule` in (at, now]: what the loop skipped when it served the fire due
 * at `at` only at `now` (a stall, a suspended machine, a clock jump), or null if none.
 */
export function missedFires(schedule: Schedule, at: number, now: number): MissedFires | null {
  if (schedule.kind === 'once' || schedule.kind === 'start' || !(now > at)) return null;
  if (schedule.kind === 'interval') {
    // The timeline runs through `at`, so the count is a division, however long the gap.
    const count = Math.floor((now - at) / schedule.everyMs);
    return count > 0 ? { count, first: at + schedule.everyMs, last: at + count * schedule.everyMs } : null;
  }
  if (now - at < CRON_FINEST_MS) return null;
  let first: number | null = null;
  let last = at;
  let count = 0;
  for (let next = nextFire(schedule, at); next !== null && next <= now; next = nextFire(schedule, next)) {
    if (count === COUNT_LIMIT) return { count, first: first!, last, truncated: true };
    first ??= next;
    last = next;
    count += 1;
  }
  return first === null ? null : { count, first, last };
}
