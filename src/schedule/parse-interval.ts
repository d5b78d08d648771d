import type { Parsed } from '../types.js';
import { formatDuration, parseDuration } from '../job/duration.js';
import { closestField } from '../job/did-you-mean.js';
import { showValue } from '../job/show-value.js';

const SECOND_MS = 1000;
const DAY_MS = 86_400_000;
const MIN_EVERY_MS = SECOND_MS;
const MAX_EVERY_MS = 1_000_000 * DAY_MS;
const MAX_COUNT = 1_000_000;

const UNIT_MS = new Map([
  ['seconds', SECOND_MS],
  ['minutes', 60 * SECOND_MS],
  ['hours', 3600 * SECOND_MS],
  ['days', DAY_MS],
]);
const UNITS = [...UNIT_MS.keys()];

/** The period of `@every <duration>` (the text after `@every`), in ms. */
export function parseEveryText(text: string): Parsed<number> {
  if (text.trim() === '') {
    return { ok: false, path: '', message: 'expected "@every <duration>" such as "@every 90s" or "@every 1h30m", got "@every"' };
  }
  return inRange(parseDuration(text.trim()), '');
}

/** The period of `{ every, unit? }`, in ms; failures point at `every` or `unit`. */
export function parseEveryField(every: unknown, unit: unknown): Parsed<number> {
  if (unit === undefined) return inRange(parseDuration(every), 'every');
  const unitMs = typeof unit === 'string' ? UNIT_MS.get(unit) : undefined;
  if (unitMs === undefined) {
    const hint = typeof unit === 'string' ? closestField(unit, UNITS) : null;
    const guess = hint ? ` (did you mean "${hint}"?)` : '';
    return { ok: false, path: 'unit', message: `expected one of ${UNITS.join(', ')}, got ${showValue(unit)}${guess}` };
  }
  if (typeof every !== 'number' || !Number.isInteger(every) || every < 1 || every > MAX_COUNT) {
    const message = `expected an integer from 1 to 1000000 (${unit}), got ${showValue(every)}`;
    return { ok: false, path: 'every', message };
  }
  return { ok: true, value: every * unitMs };
}

function inRange(duration: Parsed<number>, path: string): Parsed<number> {
  if (!duration.ok) return { ok: false, path: joinPath(path, duration.path), message: duration.message };
  const ms = duration.value;
  if (ms < MIN_EVERY_MS || ms > MAX_EVERY_MS) {
    const bounds = `${formatDuration(MIN_EVERY_MS)} and ${formatDuration(MAX_EVERY_MS)}`;
    return { ok: false, path, message: `interval out of range: expected between ${bounds}, got ${formatDuration(ms)}` };
  }
  return { ok: true, value: ms };
}

function joinPath(outer: string, inner: string): string {
  return [outer, inner].filter((part) => part !== '').join('.');
}
