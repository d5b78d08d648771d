import type { EventQuery, LogLevel } from '../types.js';

/** Events the daemon keeps for `GET /events?n=…` and `jobd logs` without `--log-file`. */
export const RING_MAX_EVENTS = 10_000;
/** Bytes of kept events, all together: lines can be long, so a count alone would not bound memory. */
export const RING_MAX_BYTES = 8 * 1024 * 1024;
/** A longer event is kept with its long strings cut, and marked `truncated: true`. */
export const RING_MAX_EVENT_BYTES = 64 * 1024;
/** What each long string of an oversized event keeps. */
const CUT_STRING_CHARS = 4 * 1024;

const LEVEL_RANK: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

interface Kept {
  text: string;
  timeMs: number;
  rank: number;
  job: string | null;
}

/** The recent events, bounded by count and bytes; the oldest go first. */
export interface EventRing {
  add(event: Record<string, unknown>): void;
  query(query: EventQuery): string[];
}

/** Builds an empty ring; `limits` exist for tests of the bounds. */
export function createEventRing(limits: { maxEvents?: number; maxBytes?: number } = {}): EventRing {
  const maxEvents = limits.maxEvents ?? RING_MAX_EVENTS;
  const maxBytes = limits.maxBytes ?? RING_MAX_BYTES;
  // A plain array with a moving start: shift() on 10,000 entries per event would cost more.
  let kept: Kept[] = [];
  let start = 0;
  let bytes = 0;
  const dropOldest = (): void => {
    bytes -= kept[start]!.text.length;
    start += 1;
    if (start > 1024 && start * 2 > kept.length) {
      kept = kept.slice(start);
      start = 0;
    }
  };
  return {
    add(event) {
      const entry = keptOf(event);
      kept.push(entry);
      bytes += entry.text.length;
      while (kept.length - start > maxEvents || (bytes > maxBytes && kept.length - start > 1)) dropOldest();
    },
    query(query) {
      const minRank = query.minLevel === null ? 0 : LEVEL_RANK[query.minLevel];
      const found: string[] = [];
      const limit = query.n ?? Infinity;
      // Newest first, so `n` stops the walk early; reversed at the end.
      for (let i = kept.length - 1; i >= start && found.length < limit; i -= 1) {
        const entry = kept[i]!;
        if (query.sinceMs !== null && entry.timeMs < query.sinceMs) break;
        if (entry.rank < minRank || (query.job !== null && entry.job !== query.job)) continue;
        found.push(entry.text);
      }
      return found.reverse();
    },
  };
}

/** Whether an event passes a query's job and level (for the live part of a follow). */
export function eventMatches(event: Record<string, unknown>, query: Pick<EventQuery, 'job' | 'minLevel'>): boolean {
  if (query.job !== null && event.job !== query.job) return false;
  return query.minLevel === null || rankOf(event.level) >= LEVEL_RANK[query.minLevel];
}

function keptOf(event: Record<string, unknown>): Kept {
  let text = JSON.stringify(event);
  if (text.length > RING_MAX_EVENT_BYTES) text = JSON.stringify(cutEvent(event));
  const timeMs = typeof event.time === 'string' ? Date.parse(event.time) : NaN;
  return { text, timeMs: Number.isNaN(timeMs) ? 0 : timeMs, rank: rankOf(event.level), job: typeof event.job === 'string' ? event.job : null };
}

// The fields people filter and read by stay whole; only the long strings (output lines, messages) are cut.
function cutEvent(event: Record<string, unknown>): Record<string, unknown> {
  const cut: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (typeof value === 'string') cut[key] = value.length > CUT_STRING_CHARS ? `${value.slice(0, CUT_STRING_CHARS)}…` : value;
    else if (value === null || typeof value !== 'object') cut[key] = value;
    else {
      const nested = JSON.stringify(value);
      cut[key] = nested.length > CUT_STRING_CHARS ? `${nested.slice(0, CUT_STRING_CHARS)}…` : value;
    }
  }
  cut.truncated = true;
  return cut;
}

function rankOf(level: unknown): number {
  return typeof level === 'string' && level in LEVEL_RANK ? LEVEL_RANK[level as LogLevel] : 0;
}
