import { CronPattern } from 'croner';
import { unwrapRanges } from './cron-wrap.js';
import { dayWords, type DayWords } from './day-words.js';
import { timeWords, type TimeWords } from './time-words.js';
import { setValues } from './word-lists.js';

/** The macros as the expressions croner reads them as. */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

/** Longer than this, words are harder to read than the expression. */
const MAX_CHARS = 160;

/**
 * A valid cron expression or macro in words (`every day at 03:00`, `at 03:00 on weekdays (Mon–Fri)`),
 * read from the values croner itself expands, so the words say what fires; null when no short reading fits.
 */
export function cronInWords(expression: string): string | null {
  let pattern: CronPattern;
  try {
    pattern = new CronPattern(unwrapRanges(MACROS[expression] ?? expression), undefined, { mode: '5-or-6-parts' });
  } catch {
    // Only parsed schedules come here; anything croner refuses has no reading.
    return null;
  }
  const time = timeWords(setValues(pattern.second), setValues(pattern.minute), setValues(pattern.hour));
  const days = time === null ? null : dayWords(pattern);
  if (time === null || days === null) return null;
  const text = sentence(time, days);
  return text.length > MAX_CHARS ? null : text;
}

function sentence(time: TimeWords, days: DayWords): string {
  if (time.kind === 'fixed') {
    switch (days.kind) {
      case 'daily':
        return `every day ${time.text}${days.months}`;
      case 'weekday':
        return `every ${days.name} ${time.text}${days.months}`;
      case 'lead':
        return `${days.text} ${time.text}`;
      case 'trail':
        return `${time.text} ${days.text}`;
    }
  }
  switch (days.kind) {
    case 'daily':
      return `${time.text}${days.months}`;
    case 'weekday':
      return `${time.text} on ${days.name}s${days.months}`;
    case 'lead':
    case 'trail':
      return `${time.text} ${days.text}`;
  }
}
