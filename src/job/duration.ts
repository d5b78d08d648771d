import type { Parsed } from '../types.js';
import { showValue } from './show-value.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

// systemd.time(7)'s spellings beside ours, so a value copied from a unit file means the
// same here. systemd's `M` (month) is left out: beside `m` it would turn a typo for
// minutes into a month; the words month/months say it plainly.
const WEEK_MS = 7 * UNIT_MS.d;
const SPELLINGS: ReadonlyArray<readonly [readonly string[], number]> = [
  [['usec', 'us', 'µs', 'μs'], 0.001],
  [['msec', 'ms'], 1],
  [['seconds', 'second', 'sec', 's'], UNIT_MS.s],
  [['minutes', 'minute', 'min', 'm'], UNIT_MS.m],
  [['hours', 'hour', 'hr', 'h'], UNIT_MS.h],
  [['days', 'day', 'd'], UNIT_MS.d],
  [['weeks', 'week', 'w'], WEEK_MS],
  [['months', 'month'], 30.44 * UNIT_MS.d],
  [['years', 'year', 'y'], 365.25 * UNIT_MS.d],
];
const SPELLING_MS = new Map(SPELLINGS.flatMap(([names, ms]) => names.map((name) => [name, ms] as const)));
// Longest first, so "ms" is never read as "m" followed by a stray "s", nor "min" as "m".
const UNIT_ALTERNATIVES = [...SPELLING_MS.keys()].sort((a, b) => b.length - a.length).join('|');

const NUMBER = String.raw`\d+(?:\.\d+)?`;
const PART = new RegExp(String.raw`(${NUMBER}) *(${UNIT_ALTERNATIVES})`, 'g');

/** Longer text is no duration anyone writes; refusing it first keeps every parse cheap. */
const MAX_TEXT = 100;

/** The regular expression source of every string parseDuration accepts (for the JSON Schema). */
export const DURATION_PATTERN = String.raw`^(?:${NUMBER}|${NUMBER} *(?:${UNIT_ALTERNATIVES})(?: *${NUMBER} *(?:${UNIT_ALTERNATIVES}))*)$`;
const DURATION_RE = new RegExp(DURATION_PATTERN);

const EXAMPLES = 'like 30, "30s", "500ms" or "1h30m"';

/** What a duration field expects, in the words every duration message uses. */
export const DURATION_EXPECTED = `a duration ${EXAMPLES}`;

/** Parses a duration (a number of seconds, or "1h30m" / "2h 30min" / "500ms" / "90") into milliseconds greater than 0. */
export function parseDuration(value: unknown): Parsed<number> {
  const ms = durationMs(value);
  if (ms === null) return failure(`expected ${DURATION_EXPECTED}, got ${showValue(value)}`);
  if (ms === TOO_LARGE) return failure(`duration too large: expected at most 10000000d, got ${showValue(value)}`);
  if (ms < 1) return failure(`expected a duration greater than 0, ${EXAMPLES}, got ${showValue(value)}`);
  return { ok: true, value: ms };
}

/** Like parseDuration, but also accepts a zero duration (0, "0s"): for settings where 0 means "none". */
export function parseDurationOrZero(value: unknown): Parsed<number> {
  const ms = durationMs(value);
  if (ms === 0) return { ok: true, value: 0 };
  return parseDuration(value);
}

/** Ten times the longest interval a schedule takes: anything longer is a mistake, and this stays an exact integer of ms. */
const MAX_MS = 10_000_000 * UNIT_MS.d;
const TOO_LARGE = -1;

/** Whole milliseconds, TOO_LARGE, or null when the value is not a duration at all (negative numbers included). */
function durationMs(value: unknown): number | null {
  let ms: number;
  if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string' && value.length <= MAX_TEXT && DURATION_RE.test(value)) ms = stringMs(value);
  else return null;
  if (Number.isNaN(ms) || ms < 0 || (typeof value === 'number' && !Number.isFinite(value))) return null;
  if (ms > MAX_MS) return TOO_LARGE;
  return Math.round(ms);
}

function stringMs(text: string): number {
  if (/^[\d.]+$/.test(text)) return Number(text) * 1000;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) total += Number(amount) * SPELLING_MS.get(unit!)!;
  return total;
}

function failure(message: string): Parsed<number> {
  return { ok: false, path: '', message };
}

// Largest first: each entry is a unit and the next smaller one shown beside it.
const STEPS: ReadonlyArray<readonly [Unit, Unit]> = [
  ['d', 'h'],
  ['h', 'm'],
  ['m', 's'],
];

/** A short human form of milliseconds for logs and status: `850ms`, `1.2s`, `1m30s`, `2h`, `1d2h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${tenths / 10}s`;
  return formatLong(ms);
}

// At least a minute: the largest unit and the next one, rounded to that next unit.
function formatLong(ms: number): string {
  const [, smaller] = STEPS.find(([unit]) => ms >= UNIT_MS[unit]) ?? ['m', 's'];
  const rounded = Math.round(ms / UNIT_MS[smaller]) * UNIT_MS[smaller];
  // Rounding can carry into the larger unit (59m59.6s is 1h), so pick the unit again.
  const [major, minor] = STEPS.find(([unit]) => rounded >= UNIT_MS[unit]) ?? ['m', 's'];
  const majorCount = Math.floor(rounded / UNIT_MS[major]);
  const minorCount = Math.round((rounded - majorCount * UNIT_MS[major]) / UNIT_MS[minor]);
  return minorCount === 0 ? `${majorCount}${major}` : `${majorCount}${major}${minorCount}${minor}`;
}
