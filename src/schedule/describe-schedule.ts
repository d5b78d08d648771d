import type { Schedule } from '../types.js';
import { systemZone } from './zone.js';

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const PERIOD_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/** A schedule in one line, as a person would write it: `0 3 * * * (Europe/Paris)`, `@every 1m30s`. */
export function describeSchedule(s: Schedule): string {
  switch (s.kind) {
    case 'cron':
      return s.timezone === null ? s.expression : `${s.expression} (${s.timezone})`;
    case 'interval':
      return `@every ${exactPeriod(s.everyMs)}`;
    case 'once':
      return `once at ${s.at}`;
    case 'start':
      return '@reboot';
  }
}

/** Wall time of `ms` in `zone` (null: system zone) with the zone's name: `2026-12-01 04:00:00 Europe/Paris`. */
export function formatInZone(ms: number, zone: string | null): string {
  const name = zone ?? systemZone();
  const parts = formatterFor(name).formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${name}`;
}

/**
 * Like formatInZone, with the zone's offset at that instant before its name
 * (`2026-10-25 02:30:00 +02:00 Europe/Paris`): the two passes of a repeated hour differ.
 */
export function formatInZoneWithOffset(ms: number, zone: string | null): string {
  const name = zone ?? systemZone();
  const wall = formatInZone(ms, name);
  return `${wall.slice(0, wall.length - name.length)}${offsetIn(ms, name)} ${name}`;
}

// `+01:00` from Intl's `GMT+01:00` (`GMT` alone at offset zero).
function offsetIn(ms: number, zone: string): string {
  let formatter = offsetFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormatters.set(zone, formatter);
  }
  const gmt = formatter.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return gmt === 'GMT' ? '+00:00' : gmt.replace(/^GMT/, '');
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

// Exact, unlike formatDuration (which rounds to two units for logs): the description
// is parsed back as the same schedule, and 1d1h1m must not read as 1d1h.
function exactPeriod(ms: number): string {
  let rest = ms;
  let text = '';
  for (const [unit, size] of PERIOD_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text;
}
