// croner refuses a range whose end comes before its start; cron and systemd read a
// weekday or month range like FRI-MON or NOV-FEB as wrapping round the week or year.
// Such ranges become the list they stand for before croner sees the expression.

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Cycle {
  first: number;
  /** Values in one turn of the cycle (7 weekdays, 12 months). */
  length: number;
  names: readonly string[];
  nameBase: number;
}

const WEEK: Cycle = { first: 0, length: 7, names: WEEKDAYS, nameBase: 0 };
const YEAR: Cycle = { first: 1, length: 12, names: MONTHS, nameBase: 1 };
const WRAPPED = /^([A-Za-z]+|\d+)-([A-Za-z]+|\d+)(?:\/(\d+))?$/;

/** The expression with every wrapping weekday or month range written as a list; other text unchanged. */
export function unwrapRanges(expression: string): string {
  const fields = expression.split(' ');
  if (fields.length !== 5 && fields.length !== 6) return expression;
  const month = fields.length - 2;
  const weekday = fields.length - 1;
  fields[month] = unwrapField(fields[month]!, YEAR);
  fields[weekday] = unwrapField(fields[weekday]!, WEEK);
  return fields.join(' ');
}

function unwrapField(field: string, cycle: Cycle): string {
  const plus = field.startsWith('+') ? '+' : '';
  const items = field.slice(plus.length).split(',');
  return plus + items.map((item) => unwrapItem(item, cycle)).join(',');
}

function unwrapItem(item: string, cycle: Cycle): string {
  const match = WRAPPED.exec(item);
  if (!match) return item;
  const from = valueOf(match[1]!, cycle);
  const to = valueOf(match[2]!, cycle);
  const step = match[3] === undefined ? 1 : Number(match[3]);
  if (from === null || to === null || step < 1) return item;
  // Sunday is 0 and 7: SAT-SUN is 6-7, no wrap.
  if (cycle === WEEK && to === 0 && from > 0) return `${from}-7${match[3] === undefined ? '' : `/${step}`}`;
  if (from <= to) return item;
  const values: number[] = [];
  for (let i = 0; i <= to + cycle.length - from; i += step) values.push(cycle.first + ((from - cycle.first + i) % cycle.length));
  return values.join(',');
}

function valueOf(token: string, cycle: Cycle): number | null {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    const last = cycle === WEEK ? 7 : cycle.first + cycle.length - 1;
    return n >= cycle.first && n <= last ? n : null;
  }
  const index = cycle.names.indexOf(token.toUpperCase());
  return index < 0 ? null : index + cycle.nameBase;
}
