import { formatDuration, parseDuration } from '../job/duration.js';
import { showValue } from '../job/show-value.js';
import { cronFieldProblem } from './cron-fields.js';

const MACRO_WORDS = new Map([
  ['hourly', '@hourly'], ['daily', '@daily'], ['midnight', '@daily'], ['weekly', '@weekly'],
  ['monthly', '@monthly'], ['yearly', '@yearly'], ['annually', '@yearly'], ['reboot', '@reboot'], ['start', '@start'],
]);
const EVERY_WORDS = /^every\s+(.+)$/i;
/** A word of these is a cron field or a number, not the start of a command. */
const CRON_CHARACTERS = /^[\d*?,/#+LW-]+$/i;
const SINGULAR_UNITS = /^(ms|msec|second|sec|minute|min|hour|hr|day|week)s?$/i;

/**
 * What the user probably meant by a schedule that is no cron expression: English
 * ("every 5 minutes"), a macro without its @, or a whole crontab line. Null when
 * nothing comes to mind; the caller then explains the cron syntax.
 */
export function scheduleHint(expression: string): string | null {
  const given = showValue(expression);
  const macro = MACRO_WORDS.get(expression.toLowerCase());
  if (macro) return `expected a cron expression or a macro, got ${given}; did you mean "${macro}"?`;
  const every = EVERY_WORDS.exec(expression);
  if (every) {
    const period = everyPeriod(every[1]!);
    if (period !== null) return `expected a cron expression or "@every <duration>", got ${given}; did you mean "@every ${period}"?`;
  }
  return crontabLineHint(expression);
}

// "5 minutes", "5min", "minute" (one of it) as a period in jobd's own spelling.
function everyPeriod(text: string): string | null {
  const amount = SINGULAR_UNITS.test(text.trim()) ? `1 ${text.trim().toLowerCase()}` : text.trim();
  const parsed = parseDuration(amount);
  return parsed.ok ? formatDuration(parsed.value) : null;
}

/** `@daily /usr/bin/backup`: a crontab macro line pasted whole; null when the text is no such line. */
export function macroLineHint(expression: string, macros: readonly string[]): string | null {
  const [first = '', ...rest] = expression.split(' ');
  if (rest.length === 0 || !macros.includes(first.toLowerCase()) || CRON_CHARACTERS.test(rest[0]!)) return null;
  return `this looks like a crontab line: the schedule is ${showValue(first)}, and the command (${showValue(rest.join(' '))}) goes in "command", not in "schedule"`;
}

// Five valid cron fields followed by words that are no sixth field: a line pasted from
// a crontab, where the command follows the schedule (and /etc/crontab's user column).
function crontabLineHint(expression: string): string | null {
  const fields = expression.split(' ');
  if (fields.length < 6) return null;
  const schedule = fields.slice(0, 5).join(' ');
  if (cronFieldProblem(schedule) !== null) return null;
  // A sixth word that is a weekday field (seconds-first cron) or made of cron characters
  // (a Quartz year, a typo) is no command.
  if (fields.length === 6 && cronFieldProblem(expression) === null) return null;
  if (CRON_CHARACTERS.test(fields[5]!)) return null;
  const rest = fields.slice(5).join(' ');
  return (
    `this looks like a crontab line: the schedule is ${showValue(schedule)}, ` +
    `and the command (${showValue(rest)}) goes in "command", not in "schedule"`
  );
}
