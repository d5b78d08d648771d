import { showValue } from '../job/show-value.js';

// Cron fields checked against their ranges before croner sees them: croner counts
// days and months from 0 inside, and its messages would quote `day: -1` for a 0 the
// user wrote. Only what croner accepts passes here; croner still has the last word.

interface FieldRule {
  name: string;
  min: number;
  max: number;
  /** Names that stand for values (`JAN` = 1, `SUN` = 0), upper case. */
  names?: readonly string[];
  /** How the allowed values read in a message. */
  allowed: string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const SECOND: FieldRule = { name: 'second', min: 0, max: 59, allowed: '0-59' };
const MINUTE: FieldRule = { name: 'minute', min: 0, max: 59, allowed: '0-59' };
const HOUR: FieldRule = { name: 'hour', min: 0, max: 23, allowed: '0-23' };
const DAY: FieldRule = { name: 'day-of-month', min: 1, max: 31, allowed: '1-31' };
const MONTH: FieldRule = { name: 'month', min: 1, max: 12, names: MONTHS, allowed: '1-12 or JAN-DEC' };
const WEEKDAY: FieldRule = { name: 'day-of-week', min: 0, max: 7, names: WEEKDAYS, allowed: '0-7 or SUN-SAT (0 and 7 are Sunday)' };

/** Most steps are bounded by the number of values; croner bounds a weekday step by 7. */
const STEP_MAX = new Map([[SECOND, 60], [MINUTE, 60], [HOUR, 24], [DAY, 31], [MONTH, 12], [WEEKDAY, 7]]);

/** The name and allowed values of each field of a 5- or 6-field expression, in order. */
export function cronFieldRules(count: number): ReadonlyArray<{ name: string; allowed: string }> {
  return count === 6 ? [SECOND, MINUTE, HOUR, DAY, MONTH, WEEKDAY] : [MINUTE, HOUR, DAY, MONTH, WEEKDAY];
}

/** Quoted text in messages is cut here: a problem line stays one readable line. */
const QUOTE_LIMIT = 60;

/**
 * Why a 5- or 6-field cron expression (fields split on single spaces) is not one,
 * naming the field, what the user wrote and the allowed range; null when every field
 * is a value, list, range or step within its range.
 */
export function cronFieldProblem(expression: string): string | null {
  const fields = expression.split(' ');
  const rules = fields.length === 6 ? [SECOND, MINUTE, HOUR, DAY, MONTH, WEEKDAY] : [MINUTE, HOUR, DAY, MONTH, WEEKDAY];
  for (const [index, rule] of rules.entries()) {
    const problem = fieldProblem(fields[index] ?? '', rule);
    if (problem !== null) return `${problem} in ${quote(expression)}`;
  }
  return null;
}

function fieldProblem(field: string, rule: FieldRule): string | null {
  // `+` before the weekdays asks for day-of-month AND day-of-week.
  const list = rule === WEEKDAY && field.startsWith('+') ? field.slice(1) : field;
  const items = list.split(',');
  if (rule === DAY && items.length > 1 && items.includes('LW')) {
    return `${rule.name} ${quote(field)}: LW (the last weekday of the month) stands alone, not in a list`;
  }
  for (const item of items) {
    if (item === '') return `${rule.name} ${quote(field)} has an empty list item`;
    const problem = itemProblem(item, rule);
    if (problem !== null) return problem;
  }
  return null;
}

function itemProblem(item: string, rule: FieldRule): string | null {
  const [base = '', step, extra] = item.split('/');
  if (extra !== undefined) return notAnItem(item, rule);
  if (step !== undefined) return stepProblem(item, base, step, rule);
  if (base === '*' || base === '?') return null;
  const special = specialProblem(base, rule);
  if (special !== undefined) return special;
  return rangeProblem(base, rule);
}

function stepProblem(item: string, base: string, step: string, rule: FieldRule): string | null {
  const max = STEP_MAX.get(rule) ?? rule.max;
  if (!/^\d+$/.test(step)) return `${rule.name} step ${quote(item)} is not a number (expected */n or a range /n, n 1-${max})`;
  const n = Number(step);
  if (n < 1 || n > max) return `${rule.name} step ${step} in ${quote(item)} is out of range (1-${max})`;
  if (base === '*' || base === '?') return null;
  if (!base.includes('-')) return `${rule.name} ${quote(item)}: a step goes after * or a range (*/${step}, or ${base}-${rule.max}/${step})`;
  return rangeProblem(base, rule);
}

// The day-of-month's L, LW and nW, and the weekday's n#k and nL; undefined for an ordinary item.
function specialProblem(base: string, rule: FieldRule): string | null | undefined {
  if (rule === DAY) {
    if (base === 'L' || base === 'LW') return null;
    const nearest = /^(\d+)W$/i.exec(base);
    return nearest ? valueProblem(nearest[1]!, rule) : undefined;
  }
  if (rule !== WEEKDAY) return undefined;
  const nth = /^([^#]+)#(.*)$/.exec(base);
  if (nth) {
    const day = valueProblem(nth[1]!, rule);
    if (day !== null) return day;
    return /^([1-5]|L)$/i.test(nth[2]!) ? null : `${rule.name} ${quote(base)}: the occurrence after # must be 1-5 or L`;
  }
  const last = /^(.+)L$/i.exec(base);
  return last && toValue(last[1]!, rule) !== null ? valueProblem(last[1]!, rule) : undefined;
}

function rangeProblem(base: string, rule: FieldRule): string | null {
  const parts = base.split('-');
  if (parts.length === 1) return valueProblem(base, rule);
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return notAnItem(base, rule);
  const [from, to] = parts as [string, string];
  const problem = valueProblem(from, rule) ?? valueProblem(to, rule);
  if (problem !== null) return problem;
  // Weekdays and months wrap (FRI-MON, NOV-FEB) as in cron and systemd; cronFor expands them.
  if (rule !== WEEKDAY && rule !== MONTH && toValue(from, rule)! > toValue(to, rule)!) {
    return `${rule.name} range ${quote(base)} runs backwards (write the smaller value first)`;
  }
  return null;
}

function valueProblem(token: string, rule: FieldRule): string | null {
  const value = toValue(token, rule);
  if (value === null) return notAnItem(token, rule);
  if (value < rule.min || value > rule.max) return `${rule.name} ${shorten(token)} is out of range (${rule.allowed})`;
  return null;
}

// A number (out of range or not) or a name; null when the token is neither.
function toValue(token: string, rule: FieldRule): number | null {
  if (/^\d+$/.test(token)) return token.length > 6 ? Number.MAX_SAFE_INTEGER : Number(token);
  const index = rule.names?.indexOf(token.toUpperCase()) ?? -1;
  if (index < 0) return null;
  return rule === MONTH ? index + 1 : index;
}

function notAnItem(item: string, rule: FieldRule): string {
  return `${rule.name} ${quote(item)} is not a value, range or step (expected ${rule.allowed}, *, a-b, */n, a-b/n, or a list of them)`;
}

function quote(text: string): string {
  return showValue(text);
}

function shorten(text: string): string {
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
}
