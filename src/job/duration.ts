import type { Parsed } from '../types.js';
import { showValue } from './show-value.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

const NUMBER = String.raw`\d+(?:\.\d+)?`;
// `ms` comes before `m` so "500ms" is never read as 500 minutes followed by a stray "s".
const PART = new RegExp(String.raw`(${NUMBER})(ms|s|m|h|d)`, 'g');

/** The regular expression source of every string parseDuration accepts (for the JSON Schema). */
export const DURATION_PATTERN = String.raw`^(?:${NUMBER}|(?:${NUMBER}(?:ms|s|m|h|d))+)$`;
const DURATION_RE = new RegExp(DURATION_PATTERN);

const EXAMPLES = 'like 30, "30s", "500ms" or "1h30m"';

/** What a duration field expects, in the words every duration message uses. */
export const DURATION_EXPECTED = `a duration ${EXAMPLES}`;

/** Parses a duration (a number of seconds, or "1h30m" / "500ms" / "90") into milliseconds greater than 0. */
export function parseDuration(value: unknown): Parsed<number> {
  const ms = durationMs(value);
  if (ms === null) return failure(`expected ${DURATION_EXPECTED}, got ${showValue(value)}`);
  if (ms < 1) return failure(`expected a duration greater than 0, ${EXAMPLES}, got ${showValue(value)}`);
  return { ok: true, value: ms };
}

/** Like parseDuration, but also accepts a zero duration (0, "0s"): for settings where 0 means "none". */
export function parseDurationOrZero(value: unknown): Parsed<number> {
  const ms = durationMs(value);
  if (ms === 0) return { ok: true, value: 0 };
  return parseDuration(value);
}

/** Whole milliseconds, or null when the value is not a duration at all (negative numbers included). */
function durationMs(value: unknown): number | null {
  let ms: number;
  if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string' && DURATION_RE.test(value)) ms = stringMs(value);
  else return null;
  if (!Number.isFinite(ms) || ms < 0 || ms > Number.MAX_SAFE_INTEGER) return null;
  return Math.round(ms);
}

function stringMs(text: string): number {
  if (/^[\d.]+$/.test(text)) return Number(text) * 1000;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) total += Number(amount) * UNIT_MS[unit as Unit];
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
