import { evenStep, listOf, ordinal, runItems, runsOf, twoDigits } from './word-lists.js';

/** The time-of-day part of a cron schedule: a few fixed times of day, or a recurrence within the day. */
export type TimeWords = { kind: 'fixed'; text: string } | { kind: 'recurring'; text: string };

/** More fixed times than this read better as a recurrence. */
const MAX_TIMES = 4;
/** More list items than this in one field are not said in words. */
const MAX_ITEMS = 6;

interface Unit {
  name: 'second' | 'minute' | 'hour';
  size: number;
}
const SECOND: Unit = { name: 'second', size: 60 };
const MINUTE: Unit = { name: 'minute', size: 60 };
const HOUR: Unit = { name: 'hour', size: 24 };

const clock = (h: number, m: number, s: number | null): string => `${twoDigits(h)}:${twoDigits(m)}${s === null ? '' : `:${twoDigits(s)}`}`;
const isAll = (values: readonly number[], unit: Unit): boolean => values.length === unit.size;

/**
 * Seconds, minutes and hours (ascending values each) in words: `at 03:00`, `every 5 minutes`,
 * `every hour at :15`; null when the fields make no reading short enough to be useful.
 */
export function timeWords(seconds: number[], minutes: number[], hours: number[]): TimeWords | null {
  if (seconds.length * minutes.length * hours.length <= MAX_TIMES) {
    const withSeconds = seconds.some((s) => s !== 0);
    const times = hours.flatMap((h) => minutes.flatMap((m) => seconds.map((s) => clock(h, m, withSeconds ? s : null))));
    return { kind: 'fixed', text: `at ${listOf(times)}` };
  }
  const onTheMinute = seconds.length === 1 && seconds[0] === 0;
  const plain = onTheMinute ? minuteHourWords(minutes, hours) : null;
  if (plain !== null) return { kind: 'recurring', text: plain };
  const generic = genericWords(onTheMinute ? null : seconds, minutes, hours);
  return generic === null ? null : { kind: 'recurring', text: generic };
}

// The common shapes at second 0: every n minutes, every hour at :15, every 5 minutes from 09:00 to 17:55.
function minuteHourWords(minutes: number[], hours: number[]): string | null {
  const minuteStep = isAll(minutes, MINUTE) ? 1 : evenStep(minutes, 0, MINUTE.size);
  const single = minutes.length === 1 ? minutes[0]! : null;
  if (isAll(hours, HOUR)) {
    if (minuteStep !== null) return minuteStep === 1 ? 'every minute' : `every ${minuteStep} minutes`;
    if (minutes.length <= MAX_ITEMS) return `every hour at ${listOf(minutes.map((m) => `:${twoDigits(m)}`))}`;
    return null;
  }
  const hourStep = evenStep(hours, 0, HOUR.size);
  if (hourStep !== null && single !== null) return `every ${hourStep} hours at :${twoDigits(single)}`;
  const runs = runsOf(hours);
  if (runs.length !== 1) return null;
  const { from, to } = runs[0]!;
  if (single !== null) return `every hour from ${clock(from, single, null)} to ${clock(to, single, null)}`;
  if (minuteStep === null) return null;
  const every = minuteStep === 1 ? 'every minute' : `every ${minuteStep} minutes`;
  return `${every} from ${clock(from, 0, null)} to ${clock(to, 60 - minuteStep, null)}`;
}

interface Part {
  text: string;
  /** Every value of the field: says nothing after a part that recurs. */
  all: boolean;
  /** Reads as a recurrence (`every 5 minutes`), not as values (`minutes 0 and 30`). */
  recurs: boolean;
  /** Values that need `at` before them when they open the sentence. */
  at: boolean;
}

// Any other shape, field by field from the smallest: `every 10 seconds of minute 0 of every hour`,
// `at minutes 0–10 of hours 09–17`.
function genericWords(seconds: number[] | null, minutes: number[], hours: number[]): string | null {
  const parts = [
    ...(seconds === null ? [] : [partOf(seconds, SECOND, true)]),
    partOf(minutes, MINUTE, seconds === null),
    partOf(hours, HOUR, false),
  ];
  if (parts.some((p) => p === null)) return null;
  const kept = parts as Part[];
  while (kept.length > 1 && kept.at(-1)!.all && kept.at(-2)!.recurs) kept.pop();
  const text = kept.map((p) => p.text).join(' of ');
  return kept[0]!.at ? `at ${text}` : text;
}

// `first`: the part opens the sentence (`every 5 minutes`); later ones read `every 5th minute`.
function partOf(values: number[], unit: Unit, first: boolean): Part | null {
  if (isAll(values, unit)) return { text: `every ${unit.name}`, all: true, recurs: true, at: false };
  const step = evenStep(values, 0, unit.size);
  if (step !== null) {
    return { text: first ? `every ${step} ${unit.name}s` : `every ${ordinal(step)} ${unit.name}`, all: false, recurs: true, at: false };
  }
  const show = unit === HOUR ? twoDigits : String;
  const items = runItems(runsOf(values), show);
  if (items.length <= MAX_ITEMS) {
    const plural = values.length > 1 ? 's' : '';
    return { text: `${unit.name}${plural} ${listOf(items)}`, all: false, recurs: false, at: true };
  }
  const progression = values.length >= 3 ? values[1]! - values[0]! : 0;
  if (progression > 1 && values.every((v, i) => v === values[0]! + i * progression)) {
    return { text: `every ${ordinal(progression)} ${unit.name} from ${show(values[0]!)} to ${show(values.at(-1)!)}`, all: false, recurs: false, at: false };
  }
  return null;
}
