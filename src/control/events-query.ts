import type { EventQuery, LogLevel } from '../types.js';
import { parseDuration } from '../job/duration.js';

/** What `GET /events` was asked for: which kept events, and whether to go on live. */
export interface EventsRequest {
  query: EventQuery;
  /** Kept events first (only when `n` or `since` is given). */
  backlog: boolean;
  /** Live events after the kept ones; also the plain `GET /events` of old. */
  live: boolean;
}

const LEVELS: Record<string, LogLevel> = {
  trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', warning: 'warn', error: 'error', err: 'error', fatal: 'fatal',
};
const KNOWN = new Set(['n', 'since', 'job', 'level', 'follow']);
const MAX_JOB_CHARS = 200;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/** Reads `n`, `since`, `job`, `level`, `follow`; a bad value is one line naming the parameter and what it expects. */
export function parseEventsQuery(params: URLSearchParams, input: { now: number; maxEvents: number }): { ok: true; value: EventsRequest } | { ok: false; error: string } {
  for (const key of params.keys()) {
    if (!KNOWN.has(key)) return { ok: false, error: `unknown parameter "${key.slice(0, 50)}": expected n, since, job, level or follow` };
  }
  const n = params.get('n');
  const count = n === null ? null : parseCount(n, input.maxEvents);
  if (count !== null && !count.ok) return count;
  const since = params.get('since');
  const sinceMs = since === null ? null : parseSince(since, input.now);
  if (sinceMs !== null && !sinceMs.ok) return sinceMs;
  const level = params.get('level');
  if (level !== null && !Object.hasOwn(LEVELS, level.toLowerCase())) {
    return { ok: false, error: 'level: expected trace, debug, info, warn, error or fatal' };
  }
  const job = params.get('job');
  if (job !== null && (job === '' || job.length > MAX_JOB_CHARS)) return { ok: false, error: `job: expected a job id of 1 to ${MAX_JOB_CHARS} characters` };
  const follow = params.get('follow');
  if (follow !== null && !['', '1', 'true'].includes(follow)) return { ok: false, error: 'follow: expected no value, 1 or true' };
  const backlog = n !== null || since !== null;
  return {
    ok: true,
    value: {
      query: { n: count?.value ?? null, sinceMs: sinceMs?.value ?? null, job, minLevel: level === null ? null : LEVELS[level.toLowerCase()]! },
      backlog,
      live: follow !== null || !backlog,
    },
  };
}

function parseCount(raw: string, max: number): { ok: true; value: number } | { ok: false; error: string } {
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(value <= max)) return { ok: false, error: `n: expected a whole number from 0 to ${max}` };
  return { ok: true, value };
}

/** `since` is an instant (ISO 8601) or a span back from now ("1h", "90s", "2h30m"). */
export function parseSince(raw: string, now: number): { ok: true; value: number } | { ok: false; error: string } {
  const expected = 'since: expected an ISO instant like 2026-08-01T18:00:00Z or a span back from now like 1h, 90s or 2h30m';
  if (raw.length > 64) return { ok: false, error: expected };
  if (ISO_INSTANT.test(raw)) {
    const at = Date.parse(raw);
    return Number.isNaN(at) ? { ok: false, error: expected } : { ok: true, value: at };
  }
  const span = parseDuration(raw);
  return span.ok ? { ok: true, value: now - span.value } : { ok: false, error: expected };
}
