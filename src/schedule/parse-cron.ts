import type { Cron } from 'croner';
import type { Parsed } from '../types.js';
import { closestField } from '../job/did-you-mean.js';
import { showValue } from '../job/show-value.js';
import { cronFieldProblem } from './cron-fields.js';
import { cronFor } from './next-fire.js';

/** The cron macros SPEC §3 accepts, as croner spells them. */
const CRON_MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

const FIELDS_EXPECTED = '5 fields (minute hour day month weekday) or 6 (seconds first)';
const VALUES_EXPECTED =
  'minute 0-59, hour 0-23, day 1-31, month 1-12 or JAN-DEC, weekday 0-7 or SUN-SAT, each a value, list, range or */step';

// Any fixed instant will do: a 5- or 6-field pattern that fires at all fires within
// a few years of it. Fixed, so validation does not depend on the clock.
const PROBE_FROM = new Date(Date.UTC(2000, 0, 1));

/**
 * A cron expression or macro, whitespace normalised, once croner has parsed it and
 * found a fire in `zone` (null: system zone). Failures have path `''`; the caller
 * knows where the expression sits.
 */
export function parseCron(text: string, zone: string | null): Parsed<string> {
  const expression = text.trim().split(/\s+/).join(' ');
  if (expression.startsWith('@')) return parseMacro(expression);
  const fields = expression.split(' ').length;
  if (fields !== 5 && fields !== 6) {
    const count = fields === 1 ? '1 field' : `${fields} fields`;
    return fail(`expected a cron expression of ${FIELDS_EXPECTED}, got ${count}: ${showValue(expression)}`);
  }
  // croner takes any string with a colon for a date, and would report a date error.
  if (expression.includes(':')) {
    return fail(`a cron field cannot contain ":" (write 03:30 as minute 30, hour 3), got ${showValue(expression)}`);
  }
  const fieldProblem = cronFieldProblem(expression);
  if (fieldProblem !== null) return fail(fieldProblem);
  return probe(expression, zone);
}

function parseMacro(expression: string): Parsed<string> {
  const macro = expression.toLowerCase();
  if (CRON_MACROS.includes(macro)) return { ok: true, value: macro };
  const hint = closestField(macro, [...CRON_MACROS, '@every']);
  const guess = hint ? ` (did you mean "${hint}"?)` : '';
  return fail(`unknown macro ${showValue(expression)}${guess}; expected one of ${CRON_MACROS.join(', ')} or "@every <duration>"`);
}

function probe(expression: string, zone: string | null): Parsed<string> {
  try {
    // Shared with the scheduler, and probed once: 10,000 job files with a handful of
    // expressions build and probe a handful of schedules, not 10,000 (0.1 ms each).
    if (!firesAtAll(cronFor(expression, zone))) {
      return fail(`cron expression ${showValue(expression)} never fires (no date matches all its fields)`);
    }
    return { ok: true, value: expression };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^CronPattern: |\.$/g, '');
    return fail(`invalid cron expression ${showValue(expression)}: ${reason}; expected ${VALUES_EXPECTED}`);
  }
}

const probed = new WeakMap<Cron, boolean>();

function firesAtAll(cron: Cron): boolean {
  let fires = probed.get(cron);
  if (fires === undefined) {
    fires = cron.nextRun(PROBE_FROM) !== null;
    probed.set(cron, fires);
  }
  return fires;
}

function fail(message: string): Parsed<string> {
  return { ok: false, path: '', message };
}
