import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../src/types.js';
import { describeSchedule } from '../../../src/schedule/describe-schedule.js';
import { nextFires } from '../../../src/schedule/next-fire.js';
import { parseSchedule } from '../../../src/schedule/parse-schedule.js';
import { scheduleInWords } from '../../../src/schedule/schedule-words.js';
import { MONTH_NAMES, WEEKDAY_NAMES } from '../../../src/schedule/word-lists.js';
import { cronExpression } from './cron-arbitrary.js';
import { timed } from '../timed.js';

const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];
const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@reboot'];

// The shapes people write most: each field a value, `*`, a step, a short list or a range.
const commonCron = fc.tuple(
  fc.constantFrom('0', '15', '*/5', '*/15', '0,30', '*', '10-20'),
  fc.constantFrom('3', '9', '*', '*/2', '*/5', '9-17', '8,12,18', '0-20/2'),
  fc.constantFrom('*', '*', '1', '1,15', '1-7', 'L', '15W', '?'),
  fc.constantFrom('*', '*', '1', 'JAN', '6-8', 'NOV-FEB', '*/3'),
  fc.constantFrom('*', '*', '1', 'MON-FRI', 'SAT,SUN', 'FRI-MON', '5L', '2#2', '+MON', '0,7'),
).map((fields) => fields.join(' '));

const cronSchedule = fc
  .tuple(fc.oneof(cronExpression, commonCron, fc.constantFrom(...MACROS)), fc.constantFrom(null, ...ZONES))
  .map(([expression, zone]) => parseSchedule(zone === null ? expression : { cron: expression, timezone: zone }, null))
  .filter((parsed): parsed is { ok: true; value: Schedule } => parsed.ok);
const otherSchedule = fc.oneof(
  fc.integer({ min: 1000, max: 1_000_000 * 86_400_000 }).map((everyMs): Schedule => ({ kind: 'interval', everyMs })),
  fc.tuple(fc.date({ noInvalidDate: true }), fc.constantFrom(undefined, ...ZONES))
    .map(([d, timezone]): Schedule => ({ kind: 'once', at: d.toISOString(), ...(timezone ? { timezone } : {}) })),
);

describe('scheduleInWords (property)', () => {
  it('never throws, is never empty, and stays short for any valid schedule', () => {
    fc.assert(
      fc.property(fc.oneof(cronSchedule.map((p) => p.value), otherSchedule), (schedule) => {
        const words = timed(() => scheduleInWords(schedule));
        expect(words.trim().length).toBeGreaterThan(0);
        expect(words.length).toBeLessThanOrEqual(Math.max(200, describeSchedule(schedule).length));
        expect(words).not.toMatch(/undefined|NaN|null/);
      }),
      { numRuns: 2000 },
    );
  });

  it('says only what fires: times, hours, weekdays and months in the words hold for the next fires in UTC', () => {
    const utcCron = fc
      .oneof(cronExpression, commonCron)
      .map((expression) => parseSchedule({ cron: expression, timezone: 'UTC' }, null))
      .filter((parsed): parsed is { ok: true; value: Schedule } => parsed.ok);
    const after = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) });
    fc.assert(
      fc.property(utcCron, after, ({ value: schedule }, from) => {
        const words = scheduleInWords(schedule).replace(/ \(UTC\)$/, '');
        if (schedule.kind === 'cron' && words === schedule.expression) return;
        for (const fire of nextFires(schedule, from, 12)) checkFire(words, new Date(fire));
      }),
      { numRuns: 1500 },
    );
  });
});

const MONTH_RANGE = new RegExp(`from (${MONTH_NAMES.join('|')}) to (${MONTH_NAMES.join('|')})`);
const CLOCK = /\d\d:\d\d(?::\d\d)?/g;
const full = (clock: string): string => (clock.length === 5 ? `${clock}:00` : clock);

// What the words claim, checked against one fire in UTC.
function checkFire(words: string, fire: Date): void {
  const clock = fire.toISOString().slice(11, 19);
  const why = `${words} fired at ${fire.toISOString()}`;
  const fixed = /\bat (\d\d:\d\d(?::\d\d)?(?:(?:, | and )\d\d:\d\d(?::\d\d)?)*)/.exec(words);
  if (fixed) expect(fixed[1]!.match(CLOCK)!.map(full), why).toContain(clock);
  const span = /\bfrom (\d\d:\d\d) to (\d\d:\d\d)/.exec(words);
  if (span) {
    expect(clock >= full(span[1]!), why).toBe(true);
    expect(clock <= `${span[2]}:59`, why).toBe(true);
  }
  const hourly = /^every hour at ((?::\d\d(?:, | and )?)+)/.exec(words);
  if (hourly) expect(hourly[1]!.match(/\d\d/g), why).toContain(clock.slice(3, 5));
  const minutes = /^every (\d+) minutes\b/.exec(words);
  if (minutes) expect(fire.getUTCMinutes() % Number(minutes[1]), why).toBe(0);
  const seconds = /^every (\d+) seconds\b/.exec(words);
  if (seconds) expect(fire.getUTCSeconds() % Number(seconds[1]), why).toBe(0);
  checkDays(words, fire, why);
}

function checkDays(words: string, fire: Date, why: string): void {
  const weekday = WEEKDAY_NAMES[fire.getUTCDay()]!;
  const single = /^every (Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday) /.exec(words);
  if (single) expect(weekday, why).toBe(single[1]);
  if (/on weekdays \(Mon–Fri\)$/.test(words) && !words.includes(' and on ')) expect([0, 6], why).not.toContain(fire.getUTCDay());
  const month = MONTH_NAMES[fire.getUTCMonth()]!;
  const named = MONTH_NAMES.filter((name) => words.includes(name));
  const range = MONTH_RANGE.exec(words);
  if (range) {
    const from = MONTH_NAMES.indexOf(range[1]!);
    const to = MONTH_NAMES.indexOf(range[2]!);
    const offset = (fire.getUTCMonth() - from + 12) % 12;
    expect(offset <= (to - from + 12) % 12, why).toBe(true);
  } else if (named.length > 0 && !words.includes('–')) {
    expect(named, why).toContain(month);
  }
}
