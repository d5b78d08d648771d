// The small pieces schedules are read out with: lists, runs of values, ordinals, names.

export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
];

/** A run of consecutive values: `from` alone when `from === to`. */
export interface Run {
  from: number;
  to: number;
}

/** `a`, `a and b`, `a, b and c`. */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** `1st`, `2nd`, `3rd`, `11th`, `22nd`. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`;
}

/** `09` for 9: hours and minutes read as on a clock. */
export function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

/** The values in ascending order, as runs of consecutive values. */
export function runsOf(values: readonly number[]): Run[] {
  const runs: Run[] = [];
  for (const value of values) {
    const last = runs.at(-1);
    if (last && value === last.to + 1) last.to = value;
    else runs.push({ from: value, to: value });
  }
  return runs;
}

/**
 * Runs of a cycle (weekdays 0-6 from `start`, months 1-12 from 1): a run may go round the
 * end (Friday to Monday, November to February). Values are `first`..`first + size - 1`.
 */
export function cyclicRuns(values: readonly number[], cycle: { first: number; size: number; start: number }): Run[] {
  const members = new Set(values);
  const { first, size } = cycle;
  const at = (i: number) => first + ((((cycle.start - first + i) % size) + size) % size);
  // Begin at the first value whose predecessor is out, so no run is cut in two.
  let offset = 0;
  while (offset < size && members.has(at(offset)) && members.has(at(offset - 1))) offset += 1;
  const runs: Run[] = [];
  let current: Run | null = null;
  for (let i = offset; i < offset + size; i += 1) {
    const value = at(i);
    if (!members.has(value)) current = null;
    else if (current) current.to = value;
    else runs.push((current = { from: value, to: value }));
  }
  return runs;
}

/**
 * Runs as list items: a value alone, a pair as two values, three or more as a range with an
 * en dash (`Mon–Fri`). `size` is the cycle's, for a run that goes round its end.
 */
export function runItems(runs: readonly Run[], show: (n: number) => string, size = 0): string[] {
  return runs.flatMap((run) => {
    const length = run.to >= run.from ? run.to - run.from + 1 : run.to - run.from + 1 + size;
    if (length === 1) return [show(run.from)];
    if (length === 2) return [show(run.from), show(run.to)];
    return [`${show(run.from)}–${show(run.to)}`];
  });
}

/**
 * The values a step gives when it fits the cycle evenly: `*` stepped by `n` from `first`
 * (every 5 minutes, every 2 hours). Null for anything else, which would read wrong as "every n".
 */
export function evenStep(values: readonly number[], first: number, size: number): number | null {
  if (values.length < 2 || values[0] !== first) return null;
  const step = values[1]! - values[0]!;
  if (size % step !== 0 || values.length !== size / step) return null;
  return values.every((v, i) => v === first + i * step) ? step : null;
}

/** The values set in one of croner's field arrays (1 or more means set), shifted by `base`. */
export function setValues(field: readonly number[], base = 0): number[] {
  const values: number[] = [];
  field.forEach((flag, i) => {
    if (flag) values.push(i + base);
  });
  return values;
}
