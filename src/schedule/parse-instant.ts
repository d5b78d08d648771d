import { CronDate } from 'croner';
import { systemZone } from './zone.js';

// Parsed by hand rather than with Date.parse: Date.parse reads an offset-less string
// in the system zone, and croner's string path inherits that (a wall time inside the
// system zone's DST gap would shift before it ever reached the job's zone).
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** Whether a schedule string is meant as a date-time (starts with `YYYY-MM-DD`), not a cron expression. */
export function looksLikeInstant(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(text);
}

/** Whether a date-time string carries its own offset (`Z`, `+01:00`), so no zone is needed to read it. */
export function hasUtcOffset(text: string): boolean {
  const match = ISO_DATE_TIME.exec(text);
  return match !== null && (match[8] !== undefined || match[9] !== undefined);
}

/**
 * Epoch ms of an ISO 8601 date-time, or null if it is not one. Without an offset it
 * is wall time in `zone` (null: the system zone); a wall time in a DST gap moves past
 * the gap, and a repeated one means its first occurrence (as croner does).
 */
export function parseInstant(text: string, zone: string | null): number | null {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offsetHours, offsetMinutes] = match;
  const wall: WallTime = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s ?? 0),
    ms: Number((fraction ?? '').padEnd(3, '0').slice(0, 3)),
  };
  const asUtc = wallAsUtc(wall);
  if (asUtc === null) return null;
  if (zulu) return asUtc;
  if (sign) {
    const hours = Number(offsetHours);
    const minutes = Number(offsetMinutes ?? 0);
    if (hours > 23 || minutes > 59) return null;
    return asUtc - (sign === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  return wallInZone(wall, zone ?? systemZone());
}

// The wall time read as UTC, or null when a field is out of range (month 13, 31 April, 24:00).
function wallAsUtc(wall: WallTime): number | null {
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) return null;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, wall.ms);
  const fits = date.getUTCMonth() === wall.month - 1 && date.getUTCDate() === wall.day;
  return fits ? date.getTime() : null;
}

function wallInZone(wall: WallTime, zone: string): number {
  const local = new CronDate(new Date(0), zone);
  local.year = wall.year;
  local.month = wall.month - 1;
  local.day = wall.day;
  local.hour = wall.hour;
  local.minute = wall.minute;
  local.second = wall.second;
  local.ms = 0;
  // CronDate resolves a zone's wall time to whole seconds; the fraction is added back.
  return local.getTime() + wall.ms;
}
