const UNITS: Array<[RegExp, number]> = [
  [/^(?:usec|us|µs|μs)$/, 0.001],
  [/^(?:msec|ms)$/, 1],
  [/^(?:seconds|second|sec|s)$/, 1000],
  [/^(?:minutes|minute|min|m)$/, 60_000],
  [/^(?:hours|hour|hr|h)$/, 3_600_000],
  [/^(?:days|day|d)$/, 86_400_000],
  [/^(?:weeks|week|w)$/, 604_800_000],
  [/^(?:months|month|M)$/, 2_629_800_000],
  [/^(?:years|year|y)$/, 31_557_600_000],
];

const MAX_SPAN_MS = 1_000_000 * 86_400_000;

/** A systemd time span (`90`, `5min`, `1h 30min`, `2d`, `infinity`) in ms; null when it is not one. */
export function parseTimespan(text: string): number | null {
  const value = text.trim();
  if (value === 'infinity') return Number.POSITIVE_INFINITY;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Number(value) * 1000 > MAX_SPAN_MS ? null : Number(value) * 1000;
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)\s*([A-Za-zµμ]+)\s*/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== value.replace(/^\s+/, '')) return null;
  let total = 0;
  for (const [, amount, unit] of parts) {
    const factor = UNITS.find(([pattern]) => pattern.test(unit ?? ''))?.[1];
    if (factor === undefined) return null;
    total += Number(amount) * factor;
  }
  // Beyond what every jobd field holds (an interval's 1,000,000 days), it is no span to import.
  return total > MAX_SPAN_MS ? null : total;
}

const JOBD_UNITS: Array<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/** Whole milliseconds as a jobd duration (`1h30m`, `500ms`); the same span, to the millisecond. */
export function jobdDuration(ms: number): string {
  let rest = Math.round(ms);
  let text = '';
  for (const [unit, size] of JOBD_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text === '' ? '0s' : text;
}
