import type { CronPattern } from 'croner';
import { MONTH_NAMES, WEEKDAY_NAMES, cyclicRuns, listOf, ordinal, runItems, runsOf, setValues } from './word-lists.js';

/**
 * The days part of a cron schedule. `daily` and `weekday` carry the months as a suffix
 * (` in January`) for the sentence to place; `lead` and `trail` already name them and read
 * before (`on the 1st of every month at 00:00`) or after (`at 03:00 on weekdays (Mon–Fri)`) a fixed time.
 */
export type DayWords =
  | { kind: 'daily'; months: string }
  | { kind: 'weekday'; name: string; months: string }
  | { kind: 'lead'; text: string }
  | { kind: 'trail'; text: string };

const MAX_ITEMS = 6;
/** croner's mark for "every such weekday of the month"; other values are bits of nth (1-5) and last (32). */
const EVERY_OCCURRENCE = 63;
const NTH_BITS: ReadonlyArray<readonly [number, string]> = [[1, '1st'], [2, '2nd'], [4, '3rd'], [8, '4th'], [16, '5th'], [32, 'last']];
const WORKWEEK = '1,2,3,4,5';

interface Days {
  /** Days of the month as the pattern names them (1-31), with L, LW and nW apart. */
  dates: number[];
  last: boolean;
  lastWeekday: boolean;
  nearest: number[];
}

/** Days and months of a croner pattern in words; null for a combination not said simply. */
export function dayWords(pattern: CronPattern): DayWords | null {
  const months = setValues(pattern.month, 1);
  const days: Days = {
    dates: setValues(pattern.day, 1), last: pattern.lastDayOfMonth, lastWeekday: pattern.lastWeekday, nearest: setValues(pattern.nearestWeekdays, 1),
  };
  const weekdays = pattern.dayOfWeek.slice(0, 7);
  const anyDate = pattern.starDOM || (days.dates.length === 31 && days.nearest.length === 0 && !days.lastWeekday);
  const anyWeekday = pattern.starDOW || weekdays.every((flags) => flags === EVERY_OCCURRENCE);
  if (anyWeekday) return anyDate ? { kind: 'daily', months: monthsIn(months) } : datesWords(days, months);
  // Vixie's rule as croner keeps it: both fields restricted means either day fires, unless `+` asks for both.
  if (pattern.useAndLogic) return anyDate ? weekdaysWords(weekdays, months) : bothWords(days, weekdays, months);
  if (pattern.starDOM) return weekdaysWords(weekdays, months);
  if (anyDate) return { kind: 'daily', months: monthsIn(months) };
  return eitherWords(days, weekdays, months);
}

function datesWords(days: Days, months: number[]): DayWords | null {
  const items = dateItems(days);
  return items === null ? null : { kind: 'lead', text: `on ${listOf(items)}${monthsOf(months)}` };
}

function dateItems(days: Days): string[] | null {
  const runs = runsOf(days.dates);
  const alone = days.nearest.length === 0 && !days.last && !days.lastWeekday;
  const ordinals = runs.length <= 4 && runs.every((r) => r.from === r.to);
  const items = days.dates.length === 0 ? []
    : !ordinals ? [`days ${listOf(runItems(runs, String))}`]
    : alone ? [`the ${listOf(days.dates.map(ordinal))}`]
    : days.dates.map((d) => `the ${ordinal(d)}`);
  if (days.nearest.length > 0) {
    items.push(`the weekday${days.nearest.length > 1 ? 's' : ''} (Mon–Fri) nearest the ${listOf(days.nearest.map(ordinal))}`);
  }
  if (days.last) items.push('the last day');
  if (days.lastWeekday) items.push('the last weekday (Mon–Fri)');
  return items.length === 0 || runs.length > MAX_ITEMS ? null : items;
}

function weekdaysWords(weekdays: number[], months: number[]): DayWords | null {
  const every = setValues(weekdays.map((flags) => (flags === EVERY_OCCURRENCE ? 1 : 0)));
  const nth = nthItems(weekdays);
  if (nth.length === 0 && every.length === 1) return { kind: 'weekday', name: WEEKDAY_NAMES[every[0]!]!, months: monthsIn(months) };
  const plain = every.length === 0 ? [] : [everyWeekdayText(every)];
  if (plain.length + nth.length === 0) return null;
  if (nth.length === 0) return { kind: 'trail', text: `on ${plain[0]}${monthsIn(months)}` };
  return { kind: 'lead', text: `on ${listOf([...plain, ...nth])}${monthsOf(months)}` };
}

// `weekdays (Mon–Fri)`, `Mondays and Thursdays`, `Mon–Wed and Fri`.
function everyWeekdayText(every: number[]): string {
  if (every.join(',') === WORKWEEK) return 'weekdays (Mon–Fri)';
  const runs = cyclicRuns(every, { first: 0, size: 7, start: 1 });
  const ranged = runs.some((r) => r.from !== r.to && (r.to - r.from + 7) % 7 >= 2);
  if (!ranged) return listOf(runItems(runs, (d) => `${WEEKDAY_NAMES[d]}s`, 7));
  return listOf(runItems(runs, (d) => WEEKDAY_NAMES[d]!.slice(0, 3), 7));
}

// `the 2nd Tuesday`, `the 1st and 3rd Monday`, `the last Friday`.
function nthItems(weekdays: number[]): string[] {
  const items: string[] = [];
  weekdays.forEach((flags, day) => {
    if (flags === 0 || flags === EVERY_OCCURRENCE) return;
    const which = NTH_BITS.filter(([bit]) => (flags & bit) !== 0).map(([, word]) => word);
    items.push(`the ${listOf(which)} ${WEEKDAY_NAMES[day]}`);
  });
  return items;
}

// Both fields with `+`: the dates, when they fall on the weekdays.
function bothWords(days: Days, weekdays: number[], months: number[]): DayWords | null {
  const items = dateItems(days);
  if (items === null || nthItems(weekdays).length > 0) return null;
  const names = setValues(weekdays).map((d) => `a ${WEEKDAY_NAMES[d]}`);
  return { kind: 'trail', text: `on ${listOf(items)}${monthsOf(months)}, when that day is ${names.join(' or ')}` };
}

// Both fields restricted without `+`: a day fires when it is one of the dates or one of the weekdays.
function eitherWords(days: Days, weekdays: number[], months: number[]): DayWords | null {
  const items = dateItems(days);
  if (items === null || nthItems(weekdays).length > 0 || months.length !== 12) return null;
  return { kind: 'trail', text: `on ${listOf(items)} of every month and on ${everyWeekdayText(setValues(weekdays))}` };
}

// ` in January`, ` from June to August`, ` in January, April, July and October`; nothing for every month.
function monthsIn(months: number[]): string {
  if (months.length === 12) return '';
  const runs = cyclicRuns(months, { first: 1, size: 12, start: 1 });
  const only = runs.length === 1 ? runs[0]! : null;
  if (only && only.from !== only.to && (only.to - only.from + 12) % 12 >= 2) return ` from ${MONTH_NAMES[only.from - 1]} to ${MONTH_NAMES[only.to - 1]}`;
  return ` in ${listOf(runItems(runs, (m) => MONTH_NAMES[m - 1]!, 12))}`;
}

// ` of every month`, ` of January`, ` of every month from June to August`.
function monthsOf(months: number[]): string {
  if (months.length === 12) return ' of every month';
  const within = monthsIn(months);
  return within.startsWith(' from') ? ` of every month${within}` : ` of ${within.slice(' in '.length)}`;
}
