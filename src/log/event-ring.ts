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

/** The recent events, bounded by count and bytes; the oldest go first. */
export interface EventRing {
  /** One log line as written (JSON, no newline); kept as it is, read only by a query. */
  add(line: string): void;
  query(query: EventQuery): string[];
}

/** Builds an empty ring; `limits` exist for tests of the bounds. */
export function createEventRing(limits: { maxEvents?: number; maxBytes?: number } = {}): EventRing {
  const maxEvents = limits.maxEvents ?? RING_MAX_EVENTS;
  const maxBytes = limits.maxBytes ?? RING_MAX_BYTES;
  // A plain array with a moving start: shift() on 10,000 entries per event would cost more.
  let kept: string[] = [];
  let start = 0;
  let bytes = 0;
  const dropOldest = (): void => {
    bytes -= kept[start]!.length;
    start += 1;
    if (start > 1024 && start * 2 > kept.length) {
      kept = kept.slice(start);
      start = 0;
    }
  };
  return {
    add(line) {
      const entry = line.length > RING_MAX_EVENT_BYTES ? cutLine(line) : line;
      kept.push(entry);
      bytes += entry.length;
      while (kept.length - start > maxEvents || (bytes > maxBytes && kept.length - start > 1)) dropOldest();
    },
    query(query) {
      const minRank = query.minLevel === null ? 0 : LEVEL_RANK[query.minLevel];
      const found: string[] = [];
      const limit = query.n ?? Infinity;
      // Newest first, so `n` stops the walk early; reversed at the end.
      for (let i = kept.length - 1; i >= start && found.length < limit; i -= 1) {
        const line = kept[i]!;
        const head = headOf(line);
        // Not `break`: after the clock steps back, older lines can carry later times.
        if (query.sinceMs !== null && head.timeMs < query.sinceMs) continue;
        if (head.rank < minRank) continue;
        if (query.job !== null && jobOf(line) !== query.job) continue;
        found.push(line);
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

// pino writes `{"level":"info","time":"…",` first: read those two without parsing the line.
const HEAD = /^\{"level":"([a-z]+)","time":"([^"]+)"/;

function headOf(line: string): { rank: number; timeMs: number } {
  const match = HEAD.exec(line);
  if (match) return { rank: rankOf(match[1]), timeMs: Date.parse(match[2]!) || 0 };
  const event = parsed(line);
  return { rank: rankOf(event?.level), timeMs: typeof event?.time === 'string' ? Date.parse(event.time) || 0 : 0 };
}

function jobOf(line: string): string | null {
  const job = parsed(line)?.job;
  return typeof job === 'string' ? job : null;
}

function parsed(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    // Only jobd's own logger writes here; a line it cannot read back matches no filter.
    return null;
  }
}

function cutLine(line: string): string {
  const event = parsed(line);
  return event === null ? line.slice(0, RING_MAX_EVENT_BYTES) : JSON.stringify(cutEvent(event));
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
  return typeof level === 'string' && Object.hasOwn(LEVEL_RANK, level) ? LEVEL_RANK[level as LogLevel] : 0;
}
