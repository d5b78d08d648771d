import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../src/types.js';
import { parseSchedule } from '../../../src/schedule/parse-schedule.js';
import { scheduleInWords } from '../../../src/schedule/schedule-words.js';

function words(raw: unknown, zone: string | null = null): string {
  const parsed = parseSchedule(raw, zone);
  if (!parsed.ok) throw new Error(`${JSON.stringify(raw)}: ${parsed.message}`);
  return scheduleInWords(parsed.value);
}

describe('scheduleInWords: cron expressions', () => {
  it.each<[string, string]>([
    // single values
    ['0 3 * * *', 'every day at 03:00'],
    ['30 9 * * 1', 'every Monday at 09:30'],
    ['5 4 * * sun', 'every Sunday at 04:05'],
    ['0 12 * * 0,7', 'every Sunday at 12:00'],
    ['0 22 * * 1-5', 'at 22:00 on weekdays (Mon–Fri)'],
    ['0 3 * * MON-FRI', 'at 03:00 on weekdays (Mon–Fri)'],
    ['0 0 1 * *', 'on the 1st of every month at 00:00'],
    ['0 0 29 2 *', 'on the 29th of February at 00:00'],
    ['15 * * * *', 'every hour at :15'],
    // wildcards and steps
    ['* * * * *', 'every minute'],
    ['*/5 * * * *', 'every 5 minutes'],
    ['0-59/15 * * * *', 'every 15 minutes'],
    ['0,30 * * * *', 'every 30 minutes'],
    ['0 */2 * * *', 'every 2 hours at :00'],
    ['*/15 */2 * * *', 'every 15 minutes of every 2nd hour'],
    ['*/7 * * * *', 'every 7th minute from 0 to 56 of every hour'],
    ['15 */5 * * *', 'at minute 15 of hours 00, 05, 10, 15 and 20'],
    ['23 0-20/2 * * *', 'at minute 23 of every 2nd hour from 00 to 20'],
    // lists and ranges
    ['0 9,17 * * *', 'every day at 09:00 and 17:00'],
    ['0 */6 * * *', 'every day at 00:00, 06:00, 12:00 and 18:00'],
    ['30 8,12,18 * * 1-5', 'at 08:30, 12:30 and 18:30 on weekdays (Mon–Fri)'],
    ['0,15,45 * * * *', 'every hour at :00, :15 and :45'],
    ['*/5 9-17 * * *', 'every 5 minutes from 09:00 to 17:55'],
    ['* 9-17 * * 1-5', 'every minute from 09:00 to 17:59 on weekdays (Mon–Fri)'],
    ['30 9-17 * * *', 'every hour from 09:30 to 17:30'],
    ['0-10 9-17 * * *', 'at minutes 0–10 of hours 09–17'],
    ['0 0 1,15 * *', 'on the 1st and 15th of every month at 00:00'],
    ['0 0 1-7 * *', 'on days 1–7 of every month at 00:00'],
    ['0 0 * * MON,WED,FRI', 'at 00:00 on Mondays, Wednesdays and Fridays'],
    ['0 0 * * SAT,SUN', 'at 00:00 on Saturdays and Sundays'],
    ['0 0 * * 1-3,5', 'at 00:00 on Mon–Wed and Fri'],
    ['*/10 * * * 6', 'every 10 minutes on Saturdays'],
    // months and weekdays by name, ranges that wrap
    ['0 3 * 6-8 *', 'every day at 03:00 from June to August'],
    ['0 3 * JUN-AUG *', 'every day at 03:00 from June to August'],
    ['0 3 * NOV-FEB *', 'every day at 03:00 from November to February'],
    ['0 0 1 1,7 *', 'on the 1st of January and July at 00:00'],
    ['*/5 * * jan *', 'every 5 minutes in January'],
    ['0 0 * * FRI-MON', 'at 00:00 on Fri–Mon'],
    ['0 0,12 1 */2 *', 'on the 1st of January, March, May, July, September and November at 00:00 and 12:00'],
    // L, W, # and both day fields
    ['0 0 L * *', 'on the last day of every month at 00:00'],
    ['0 0 LW * *', 'on the last weekday (Mon–Fri) of every month at 00:00'],
    ['0 0 15W * *', 'on the weekday (Mon–Fri) nearest the 15th of every month at 00:00'],
    ['0 0 1,15,L * *', 'on the 1st, the 15th and the last day of every month at 00:00'],
    ['0 0 * * 5L', 'on the last Friday of every month at 00:00'],
    ['0 0 * * 2#2', 'on the 2nd Tuesday of every month at 00:00'],
    ['0 8 * * 1#1,3#1', 'on the 1st Monday and the 1st Wednesday of every month at 08:00'],
    ['0 0 1 * MON', 'at 00:00 on the 1st of every month and on Mondays'],
    ['0 9 1-7 * +MON', 'at 09:00 on days 1–7 of every month, when that day is a Monday'],
    ['0 0 1-31 * MON', 'every day at 00:00'],
    ['0 0 1 * 0-6', 'on the 1st of every month at 00:00'],
    ['0 0 ? * MON', 'every Monday at 00:00'],
    // 6 fields, seconds first
    ['*/10 * * * * *', 'every 10 seconds'],
    ['* * * * * *', 'every second'],
    ['0 0 3 * * *', 'every day at 03:00'],
    ['30 0 3 * * *', 'every day at 03:00:30'],
    ['30 * * * * *', 'at second 30 of every minute'],
    ['*/10 0 * * * *', 'every 10 seconds of minute 0 of every hour'],
    ['0,30 * * * * *', 'every 30 seconds'],
    // macros
    ['@yearly', 'on the 1st of January at 00:00'],
    ['@annually', 'on the 1st of January at 00:00'],
    ['@monthly', 'on the 1st of every month at 00:00'],
    ['@weekly', 'every Sunday at 00:00'],
    ['@daily', 'every day at 00:00'],
    ['@midnight', 'every day at 00:00'],
    ['@hourly', 'every hour at :00'],
  ])('%s → %s', (expression, text) => {
    expect(words(expression)).toBe(text);
  });

  it.each([
    '1,2,3,5,8,13,21,34,55 * * * *',
    '0 0 */2 * MON',
    '0 0 1 JAN MON',
    '0 0 1 * 1#2',
  ])('%s has no short reading and stays the expression', (expression) => {
    expect(words(expression)).toBe(expression);
  });

  it('names the zone of a schedule that has one', () => {
    expect(words({ cron: '0 3 * * *', timezone: 'Europe/Paris' })).toBe('every day at 03:00 (Europe/Paris)');
    expect(words('0 3 * * 1-5', 'America/New_York')).toBe('at 03:00 on weekdays (Mon–Fri) (America/New_York)');
    expect(words({ cron: '1,2,3,5,8,13,21,34,55 * * * *', timezone: 'UTC' })).toBe('1,2,3,5,8,13,21,34,55 * * * * (UTC)');
  });
});

describe('scheduleInWords: intervals, one-shots, daemon start', () => {
  it.each<[string, string]>([
    ['@every 10s', 'every 10 seconds'],
    ['@every 1s', 'every second'],
    ['@every 5m', 'every 5 minutes'],
    ['@every 1m', 'every minute'],
    ['@every 1h', 'every hour'],
    ['@every 90s', 'every 1 minute 30 seconds'],
    ['@every 1h30m', 'every 1 hour 30 minutes'],
    ['@every 1500ms', 'every 1.5 seconds'],
    ['@every 1d', 'every day'],
    ['@every 2d3h', 'every 2 days 3 hours'],
    ['@every 1d1h1m1s', 'every 1 day 1 hour 1 minute 1 second'],
  ])('%s → %s', (expression, text) => {
    expect(words(expression)).toBe(text);
  });

  it('a one-shot reads in UTC, or in the zone it was written in', () => {
    expect(words('2026-12-01T03:00:00Z')).toBe('once at 2026-12-01 03:00 UTC');
    expect(words('2026-12-01T03:00:30Z')).toBe('once at 2026-12-01 03:00:30 UTC');
    expect(words('2026-12-01T03:00:00.250Z')).toBe('once at 2026-12-01 03:00:00.250 UTC');
    expect(words({ at: '2026-12-01T04:00:00', timezone: 'Europe/Paris' })).toBe('once at 2026-12-01 04:00 (Europe/Paris)');
    expect(words('2026-07-01T09:15:00', 'America/New_York')).toBe('once at 2026-07-01 09:15 (America/New_York)');
  });

  it('a one-shot in a zone this machine does not know stays the instant as written', () => {
    const schedule: Schedule = { kind: 'once', at: '2026-12-01T03:00:00.000Z', timezone: 'Mars/Olympus' };
    expect(scheduleInWords(schedule)).toBe('once at 2026-12-01T03:00:00.000Z');
  });

  it('@reboot and @start read as the daemon start', () => {
    expect(words('@reboot')).toBe('at each daemon start');
    expect(words('@start')).toBe('at each daemon start');
  });
});
