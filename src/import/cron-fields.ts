import type { Parsed } from '../types.js';

/** The macros crontab(5) knows besides `@reboot`, as jobd spells them. */
const MACROS: Record<string, string> = {
  '@yearly': '@yearly',
  '@annually': '@yearly',
  '@monthly': '@monthly',
  '@weekly': '@weekly',
  '@daily': '@daily',
  '@midnight': '@daily',
  '@hourly': '@hourly',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const RULES: FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];

/** A crontab macro as jobd spells it (`@annually` → `@yearly`), or null when it is not one. */
export function cronMacro(word: string): string | null {
  const key = word.toLowerCase();
  return Object.hasOwn(MACROS, key) ? MACROS[key]! : null;
}

/**
 * The five time fields of a crontab line as a jobd cron expression with the same
 * fires, or why crontab(5) would not accept them. Day of month and day of week both
 * restricted means either matches (cron's rule, croner's default); but cron reads a
 * field that starts with `*` (`*\/2`) as unrestricted for that rule, so then both must
 * match, which croner says with a `+` before the day of week.
 */
export function cronExpression(fields: string[]): Parsed<string> {
  for (const [index, rule] of RULES.entries()) {
    const problem = fieldProblem(fields[index] ?? '', rule);
    if (problem !== null) return { ok: false, path: rule.name, message: problem };
  }
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const starLike = (field: string): boolean => field.startsWith('*');
  const bothMustMatch = (starLike(dom) || starLike(dow)) && dom !== '*' && dow !== '*';
  return { ok: true, value: [minute, hour, dom, month, bothMustMatch ? `+${dow}` : dow].join(' ') };
}

// crontab(5): a value, a range or `*`, a range or `*` with a /step, in a comma list;
// names (`jan`, `mon`) only in month and day of week. Anything more (croner's L, W, #, ?)
// cron would refuse.
function fieldProblem(field: string, rule: FieldRule): string | null {
  const expected = `expected ${rule.name} ${rule.min}-${rule.max}${rule.names ? ` or ${rule.names[0]}-${rule.names.at(-1)}` : ''} as a value, range, list or */step`;
  for (const item of field.split(',')) {
    const match = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d{1,3}))?$/.exec(item);
    if (!match) return `"${field}": ${expected}`;
    const [, range = '', step] = match;
    if (step !== undefined && Number(step) === 0) return `"${field}": a step must be at least 1`;
    if (range === '*') continue;
    const bounds = range.split('-').map((part) => valueOf(part, rule));
    if (bounds.some((value) => value === null)) return `"${field}": ${expected}`;
    const [low, high = low] = bounds as number[];
    if (low! > high!) return backwards(field, item, rule);
    if (step !== undefined && bounds.length === 1) return `"${field}": a step needs a range or * before it`;
  }
  return null;
}

// Debian's cron (entry.c get_range) takes a backwards range without a word, then sets no
// value from it: "fri-mon" is no day at all, not Friday to Monday. jobd would wrap it, so
// the line's instants would differ either way; it is reported with the split that says it.
function backwards(field: string, item: string, rule: FieldRule): string {
  const [range = '', step] = item.split('/');
  const [from = '', to = ''] = range.split('-');
  const [first, last] = rule.names ? [rule.names[0], rule.names.at(-1)] : [String(rule.min), String(rule.max)];
  const split = step === undefined ? `; for the values that wrap, write "${from}-${last},${first}-${to}"` : '';
  return `"${field}": the range "${range}" goes backwards: cron accepts it but takes no ${rule.name} from it (it does not wrap), so the line does not run as it reads${split}`;
}

function valueOf(part: string, rule: FieldRule): number | null {
  if (/^\d{1,2}$/.test(part)) {
    const value = Number(part);
    return value >= rule.min && value <= rule.max ? value : null;
  }
  const index = rule.names?.indexOf(part.toLowerCase()) ?? -1;
  if (index < 0) return null;
  return rule.names === MONTHS ? index + 1 : index;
}
