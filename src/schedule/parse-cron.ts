import { Cron } from 'croner';
import type { Parsed } from '../types.js';
import { closestField } from '../job/did-you-mean.js';
import { showValue } from '../job/show-value.js';
import { cronFieldProblem, cronFieldRules } from './cron-fields.js';
import { unwrapRanges } from './cron-wrap.js';
import { cronFor } from './next-fire.js';
import { macroLineHint, scheduleHint } from './schedule-hints.js';

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
  const hint = scheduleHint(expression);
  if (hint !== null) return fail(hint);
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
  const pasted = macroLineHint(expression, [...CRON_MACROS, '@reboot', '@start']);
  if (pasted !== null) return fail(pasted);
  const hint = closestField(macro, [...CRON_MACROS, '@every', '@reboot', '@start']);
  const guess = hint ? ` (did you mean "${hint}"?)` : '';
  return fail(`unknown macro ${showValue(expression)}${guess}; expected one of ${CRON_MACROS.join(', ')}, @reboot, @start or "@every <duration>"`);
}

function probe(expression: string, zone: string | null): Parsed<string> {
  try {
    // Shared with the scheduler, and probed once: 10,000 job files with a handful of
    // expressions build and probe a handful of schedules, not 10,000 (0.1 ms each).
    if (!firesAtAll(cronFor(expression, zone))) {
      return fail(`cron expression ${showValue(expression)} never fires (no date matches all its fields)`);
    }
    return { ok: true, value: expression };
  } catch {
    // croner's own wording ("configuration entry 5 …") means nothing to a user: name the field instead.
    return fail(unacceptedField(expression));
  }
}

// The first field croner refuses on its own (every other field a wildcard), as field, value and what is expected.
function unacceptedField(expression: string): string {
  const written = expression.split(' ');
  const fields = unwrapRanges(expression).split(' ');
  const rules = cronFieldRules(fields.length);
  for (const [index, rule] of rules.entries()) {
    const alone = fields.map((field, i) => (i === index ? field : '*')).join(' ');
    try {
      new Cron(alone, { paused: true, mode: '5-or-6-parts' });
    } catch {
      // Refused: this is the field to name.
      return `${rule.name} ${showValue(written[index])} is not accepted in ${showValue(expression)}; expected ${rule.allowed}, *, a-b, */n, a-b/n, or a list of them`;
    }
  }
  return `invalid cron expression ${showValue(expression)}: the fields do not combine; expected ${VALUES_EXPECTED}`;
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
