import { Cron } from 'croner';
import type { Schedule } from '../types.js';
import { unwrapRanges } from './cron-wrap.js';

// A Cron holds ~80 kB (croner keeps a 10,000-entry year table), so the cache is
// bounded; jobs share a few expressions, and the oldest entry goes first.
const CRON_CACHE_LIMIT = 500;
const crons = new Map<string, Cron>();

/**
 * The first fire of `schedule` strictly after `after` (epoch ms), or null if it has none.
 * `anchor` is a past or planned fire of an interval, so a restored timeline keeps its phase.
 */
export function nextFire(schedule: Schedule, after: number, anchor?: number | null): number | null {
  switch (schedule.kind) {
    case 'cron':
      return cronFor(schedule.expression, schedule.timezone).nextRun(new Date(after))?.getTime() ?? null;
    case 'interval':
      return nextOnTimeline(schedule.everyMs, after, anchor ?? null);
    case 'once': {
      const at = Date.parse(schedule.at);
      return at > after ? at : null;
    }
    case 'start':
      // Fired by the daemon as it starts, never by the clock.
      return null;
  }
}

/** Up to `count` successive fires strictly after `after`, for `jobd next`. */
export function nextFires(schedule: Schedule, after: number, count: number, anchor?: number | null): number[] {
  const fires: number[] = [];
  let from = after;
  while (fires.length < count) {
    const next = nextFire(schedule, from, anchor);
    if (next === null) break;
    fires.push(next);
    from = next;
  }
  return fires;
}

/** Whether at least one fire fell in (since, now]: the catch-up test after downtime. */
export function missedFire(schedule: Schedule, since: number, now: number, anchor?: number | null): boolean {
  const next = nextFire(schedule, since, anchor);
  return next !== null && next <= now;
}

// The first anchor + k·every (k ≥ 0) strictly after `after`, found by division so a
// long downtime costs nothing. Without an anchor the timeline starts one period on;
// so it does with an unreadable one (Date.parse of a damaged state entry is NaN).
function nextOnTimeline(everyMs: number, after: number, anchor: number | null): number {
  if (anchor === null || !Number.isFinite(anchor)) return after + everyMs;
  if (anchor > after) return anchor;
  return anchor + (Math.floor((after - anchor) / everyMs) + 1) * everyMs;
}

/**
 * The croner schedule of an expression in a zone (null: the system zone), shared by every
 * job with the same pair: validation and scheduling use the same one. Throws what croner
 * throws for an invalid expression.
 */
export function cronFor(expression: string, zone: string | null): Cron {
  const key = `${zone ?? ''}\n${expression}`;
  const cached = crons.get(key);
  if (cached) return cached;
  // 'no-wildcard': a list or range of fixed times (`15,45 2 * * *`) gets the fixed-time
  // DST rule, like a single time: a time in a spring-forward gap fires once at the gap's
  // end, a repeated time fires once. Wildcards and steps follow the wall clock (README).
  const cron = new Cron(unwrapRanges(expression), { paused: true, timezone: zone ?? undefined, mode: '5-or-6-parts', fixedTimeRule: 'no-wildcard' });
  if (crons.size >= CRON_CACHE_LIMIT) {
    const oldest = crons.keys().next();
    if (!oldest.done) crons.delete(oldest.value);
  }
  crons.set(key, cron);
  return cron;
}
