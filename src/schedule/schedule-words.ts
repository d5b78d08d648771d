import type { Schedule } from '../types.js';
import { cronInWords } from './cron-words.js';
import { describeSchedule, formatInZone } from './describe-schedule.js';

const UNITS: ReadonlyArray<readonly [string, number]> = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000]];

// Many jobs share a few expressions: each is read once (a status of 10,000 jobs asks for all of them).
const cronCache = new Map<string, string | null>();
const CRON_CACHE_LIMIT = 1000;

/**
 * A schedule as a person would say it: `every day at 03:00`, `every 5 minutes`,
 * `at 03:00 on weekdays (Mon–Fri) (Europe/Paris)`, `once at 2026-12-01 03:00 UTC`.
 * A cron shape with no short reading stays its expression, so the words are never wrong.
 */
export function scheduleInWords(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'cron': {
      const zone = schedule.timezone === null ? '' : ` (${schedule.timezone})`;
      return `${cachedCronWords(schedule.expression) ?? schedule.expression}${zone}`;
    }
    case 'interval':
      return intervalWords(schedule.everyMs);
    case 'once':
      return onceWords(schedule.at, schedule.timezone ?? null) ?? describeSchedule(schedule);
    case 'start':
      return 'at each daemon start';
  }
}

function cachedCronWords(expression: string): string | null {
  if (cronCache.has(expression)) return cronCache.get(expression)!;
  const words = cronInWords(expression);
  if (cronCache.size >= CRON_CACHE_LIMIT) cronCache.delete(cronCache.keys().next().value!);
  cronCache.set(expression, words);
  return words;
}

// `every 10 seconds`, `every hour`, `every 1 hour 30 minutes`, `every 1.5 seconds`.
function intervalWords(everyMs: number): string {
  let rest = everyMs;
  const parts: Array<[count: number, unit: string]> = [];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push([count, unit]);
  }
  if (rest > 0) {
    const seconds = parts.at(-1)?.[1] === 'second' ? parts.pop()![0] : 0;
    parts.push([(seconds * 1000 + rest) / 1000, 'second']);
  }
  if (parts.length === 1 && parts[0]![0] === 1) return `every ${parts[0]![1]}`;
  return `every ${parts.map(([count, unit]) => `${count} ${unit}${count === 1 ? '' : 's'}`).join(' ')}`;
}

// `once at 2026-12-01 03:00 UTC`, or in the zone it was written in: `once at 2026-12-01 04:00 (Europe/Paris)`.
function onceWords(at: string, zone: string | null): string | null {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) return null;
  let wall: string;
  try {
    wall = formatInZone(ms, zone ?? 'UTC');
  } catch {
    // A zone this Node does not know (a state file from another machine): the instant as written.
    return null;
  }
  const [date = '', time = ''] = wall.split(' ');
  const fraction = ms % 1000 === 0 ? '' : `.${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}`;
  const clock = time.endsWith(':00') && fraction === '' ? time.slice(0, 5) : `${time}${fraction}`;
  return `once at ${date} ${clock}${zone === null ? ' UTC' : ` (${zone})`}`;
}
