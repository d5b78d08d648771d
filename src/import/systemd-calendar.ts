import type { Parsed } from '../types.js';
import { isKnownZone } from '../schedule/zone.js';

/** An OnCalendar= event as a jobd cron schedule: the expression and the zone it names (null: the system zone). */
export interface CalendarCron {
  expression: string;
  timezone: string | null;
}

const SHORTHANDS: Record<string, string> = {
  minutely: '*-*-* *:*:00',
  hourly: '*-*-* *:00:00',
  daily: '*-*-* 00:00:00',
  weekly: 'Mon *-*-* 00:00:00',
  monthly: '*-*-01 00:00:00',
  yearly: '*-01-01 00:00:00',
  annually: '*-01-01 00:00:00',
  quarterly: '*-01,04,07,10-01 00:00:00',
  semiannually: '*-01,07-01 00:00:00',
};

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

interface Component {
  name: string;
  min: number;
  max: number;
}

const SECOND: Component = { name: 'second', min: 0, max: 59 };
const MINUTE: Component = { name: 'minute', min: 0, max: 59 };
const HOUR: Component = { name: 'hour', min: 0, max: 23 };
const DAY: Component = { name: 'day', min: 1, max: 31 };
const MONTH: Component = { name: 'month', min: 1, max: 12 };

/**
 * systemd.time(7) calendar events that cron can say: `[weekdays] [*-M-D] [H:M[:S]] [zone]`
 * with values, lists, `a..b` ranges and `a/step`. Weekdays and days both restricted must
 * both match in systemd, which croner says with `+` before the day of week.
 */
export function calendarToCron(text: string): Parsed<CalendarCron> {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const shorthand = words.length === 1 ? words[0]!.toLowerCase() : '';
  // Own keys only: a unit saying `OnCalendar=__proto__` must not reach Object.prototype.
  if (Object.hasOwn(SHORTHANDS, shorthand)) return calendarToCron(SHORTHANDS[shorthand]!);
  if (words.length === 0 || words.length > 4) return fail(`expected "[weekdays] [date] [time] [zone]", got "${text}"`);
  let timezone: string | null = null;
  const last = words.at(-1)!;
  if (words.length > 1 && (last === 'UTC' || /^[A-Za-z_]+\/[A-Za-z0-9_/+-]+$/.test(last))) {
    if (!isKnownZone(last)) return fail(`"${last}": not a time zone jobd knows (expected an IANA name such as "Europe/Paris")`);
    timezone = last;
    words.pop();
  }
  let weekdays = '*';
  if (words[0] !== undefined && /^[A-Za-z]/.test(words[0])) {
    const parsed = weekdayField(words.shift()!);
    if (!parsed.ok) return parsed;
    weekdays = parsed.value;
  }
  const date = words.find((word) => word.includes('-') && !word.includes(':')) ?? '*-*-*';
  const time = words.find((word) => word.includes(':')) ?? '00:00:00';
  if (words.some((word) => word !== date && word !== time)) return fail(`expected "[weekdays] [date] [time] [zone]", got "${text}"`);
  const fields = dateTimeFields(date, time);
  if (!fields.ok) return fields;
  const [second, minute, hour, day, month] = fields.value;
  const dow = weekdays !== '*' && day !== '*' ? `+${weekdays}` : weekdays;
  const cron = [minute, hour, day, month, dow];
  return { ok: true, value: { expression: (second === '0' ? cron : [second, ...cron]).join(' '), timezone } };
}

function dateTimeFields(date: string, time: string): Parsed<string[]> {
  if (date.includes('~')) return fail(`"${date}": "~" (days from the end of the month) has no cron form`);
  const dateParts = date.split('-');
  if (dateParts.length === 3 && dateParts[0] !== '*') return fail(`"${date}": a year other than * has no cron form`);
  if (dateParts.length !== 2 && dateParts.length !== 3) return fail(`"${date}": expected a date like *-*-01 or 12-25`);
  const timeParts = time.split(':');
  if (timeParts.length !== 2 && timeParts.length !== 3) return fail(`"${time}": expected a time like 02:30 or *:0/15:00`);
  const [month = '*', day = '*'] = dateParts.slice(-2);
  const [hour = '*', minute = '*', second = '00'] = timeParts;
  const out: string[] = [];
  for (const [value, component] of [[second, SECOND], [minute, MINUTE], [hour, HOUR], [day, DAY], [month, MONTH]] as const) {
    const field = cronField(value, component);
    if (!field.ok) return field;
    out.push(field.value);
  }
  return { ok: true, value: out };
}

// One component: `*`, `5`, `1,15`, `8..17`, `0/15`, `*/2`, `8..17/2`.
function cronField(value: string, component: Component): Parsed<string> {
  if (value === '*') return { ok: true, value: '*' };
  const items: string[] = [];
  for (const item of value.split(',')) {
    const match = /^(\*|\d{1,2})(?:\.\.(\d{1,2}))?(?:\/(\d{1,2}))?$/.exec(item);
    if (!match) return fail(`${component.name} "${value}": expected values, lists, a..b ranges or /steps (fractions and other forms have no cron form)`);
    const [, from = '', to, step] = match;
    const low = from === '*' ? component.min : Number(from);
    const high = to === undefined ? (step === undefined ? low : component.max) : Number(to);
    if (low < component.min || high > component.max || low > high || (from === '*' && to !== undefined)) {
      return fail(`${component.name} "${value}": expected ${component.min}..${component.max}`);
    }
    if (step !== undefined && Number(step) === 0) return fail(`${component.name} "${value}": a step must be at least 1`);
    if (step === undefined) items.push(low === high ? String(low) : `${low}-${high}`);
    else items.push(`${low}-${high}/${Number(step)}`);
  }
  return { ok: true, value: items.join(',') };
}

// `Mon..Fri`, `Sat,Sun`, `Sat..Sun` (Sunday after Saturday): a list of cron day numbers.
function weekdayField(value: string): Parsed<string> {
  const days: number[] = [];
  for (const item of value.split(',')) {
    const [from = '', to, extra] = item.split('..');
    const low = weekdayNumber(from);
    const high = to === undefined ? low : weekdayNumber(to);
    if (low === null || high === null || extra !== undefined) return fail(`weekdays "${value}": expected names like Mon, Mon..Fri or Sat,Sun`);
    // systemd's weeks run Monday to Sunday and its ranges do not wrap (calendarspec.c parse_weekdays).
    if (mondayFirst(low) > mondayFirst(high)) {
      return fail(`weekdays "${item}": systemd refuses a range that goes backwards in a Monday-to-Sunday week (it does not wrap), so the timer never loaded; write "${from}..Sun,${high === 1 ? 'Mon' : `Mon..${to}`}"`);
    }
    for (let day = low; ; day = (day + 1) % 7) {
      if (!days.includes(day)) days.push(day);
      if (day === high) break;
    }
  }
  return { ok: true, value: days.sort((a, b) => a - b).join(',') };
}

function mondayFirst(day: number): number {
  return (day + 6) % 7;
}

function weekdayNumber(name: string): number | null {
  const lower = name.toLowerCase();
  const index = WEEKDAYS.findIndex((day, number) => lower === day || lower === DAY_NAMES[number]);
  return index >= 0 ? index : null;
}

function fail(message: string): Parsed<never> {
  return { ok: false, path: '', message };
}
