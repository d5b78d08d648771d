import { Cron } from 'croner';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cronFieldProblem } from '../../../src/schedule/cron-fields.js';
import { unwrapRanges } from '../../../src/schedule/cron-wrap.js';
import { parseSchedule } from '../../../src/schedule/parse-schedule.js';
import { cronExpression } from './cron-arbitrary.js';

const messageOf = (expression: string): string => {
  const parsed = parseSchedule(expression, 'UTC');
  return parsed.ok ? 'ok' : parsed.message;
};

describe('cron fields: out-of-range values quote what the file says', () => {
  it.each<[string, string]>([
    ['0 0 0 * *', 'day-of-month 0 is out of range (1-31) in "0 0 0 * *"'],
    ['0 0 32 * *', 'day-of-month 32 is out of range (1-31) in "0 0 32 * *"'],
    ['0 0 * 13 *', 'month 13 is out of range (1-12 or JAN-DEC) in "0 0 * 13 *"'],
    ['0 0 * 0 *', 'month 0 is out of range (1-12 or JAN-DEC) in "0 0 * 0 *"'],
    ['0 0 1-32 * *', 'day-of-month 32 is out of range (1-31) in "0 0 1-32 * *"'],
    ['0 0 0-5 * *', 'day-of-month 0 is out of range (1-31) in "0 0 0-5 * *"'],
    ['0 0 32W * *', 'day-of-month 32 is out of range (1-31) in "0 0 32W * *"'],
    ['60 * * * *', 'minute 60 is out of range (0-59) in "60 * * * *"'],
    ['0 24 * * *', 'hour 24 is out of range (0-23) in "0 24 * * *"'],
    ['0 0 * * 8', 'day-of-week 8 is out of range (0-7 or SUN-SAT (0 and 7 are Sunday)) in "0 0 * * 8"'],
    ['0 0 * * MON-8', 'day-of-week 8 is out of range (0-7 or SUN-SAT (0 and 7 are Sunday)) in "0 0 * * MON-8"'],
    ['61 * * * * *', 'second 61 is out of range (0-59) in "61 * * * * *"'],
    ['*/61 * * * *', 'minute step 61 in "*/61" is out of range (1-60) in "*/61 * * * *"'],
    ['0 5-2 * * *', 'hour range "5-2" runs backwards (write the smaller value first) in "0 5-2 * * *"'],
    ['0 0 * * 5#6', 'day-of-week "5#6": the occurrence after # must be 1-5 or L in "0 0 * * 5#6"'],
    ['5/10 * * * *', 'minute "5/10": a step goes after * or a range (*/10, or 5-59/10) in "5/10 * * * *"'],
    ['0 0 1,,2 * *', 'day-of-month "1,,2" has an empty list item in "0 0 1,,2 * *"'],
  ])('issue 11.22: %s', (expression, expected) => {
    expect(messageOf(expression)).toBe(expected);
  });

  it('issue 11.22: no croner-internal 0-based value reaches the message', () => {
    for (const expression of ['0 0 0 * *', '0 0 32 * *', '0 0 * 13 *', '0 0 * 0 *']) {
      expect(messageOf(expression)).not.toMatch(/CronPattern|Invalid value for|dayOfWeek|nearestWeekdays|: -1\b|: 31$|: 12$/);
    }
  });

  it('a very long value is cut in the message', () => {
    expect(messageOf(`${'9'.repeat(5000)} * * * *`).length).toBeLessThan(300);
  });

  it.each(['0 0 L * *', '0 0 LW * *', '0 0 15W * *', '0 0 * * 5L', '0 0 * * FRI#L', '0 0 * * MON#2', '0 0 1 * +MON',
    '0 0 ? * ?', '0 0 * * 0-7', '0 0 * * SUN-SAT', '0 0 * jan-dec *', '0 0 * * MON-FRI/2', '0-59/60 * * * *', '0 */24 * * *',
    '0 0 * * */7', '0 00 * * 01'])('accepts what croner accepts: %s', (expression) => {
    expect(cronFieldProblem(expression)).toBeNull();
    expect(messageOf(expression)).toBe('ok');
  });
});

function croner(expressionText: string): string | null {
  try {
    // Wrapping weekday and month ranges reach croner as the lists they stand for.
    new Cron(unwrapRanges(expressionText), { paused: true, mode: '5-or-6-parts' });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('cron fields: agree with croner (property)', () => {
  it('issue 11.22: refuses exactly what croner refuses, so croner\'s wording never reaches a user', () => {
    fc.assert(
      fc.property(cronExpression, (text) => {
        const ours = cronFieldProblem(text);
        const theirs = croner(text);
        if (theirs === null) expect(ours, text).toBeNull();
        if (theirs !== null) expect(ours, `${text}: croner says ${theirs}`).not.toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});
