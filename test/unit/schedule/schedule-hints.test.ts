import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeSchedule } from '../../../src/schedule/describe-schedule.js';
import { missedFires } from '../../../src/schedule/missed-fires.js';
import { nextFires } from '../../../src/schedule/next-fire.js';
import { parseSchedule } from '../../../src/schedule/parse-schedule.js';
import { cronExpression } from './cron-arbitrary.js';

const messageOf = (raw: unknown): string => {
  const parsed = parseSchedule(raw, 'UTC');
  return parsed.ok ? 'ok' : parsed.message;
};

/** Words only croner uses; none of them may reach a user. */
const CRONER_WORDING = /CronPattern|CronOptions|configuration entry|illegal|Syntax error|Invalid value for|dayOfWeek|is not a number: '|From value is larger/i;

describe('schedule hints: what people type (issue 14)', () => {
  it.each([
    ['every 5 minutes', /got "every 5 minutes"; did you mean "@every 5m"\?/],
    ['every 2 hours', /did you mean "@every 2h"\?/],
    ['every 30s', /did you mean "@every 30s"\?/],
    ['every minute', /did you mean "@every 1m"\?/],
    ['Every Hour', /did you mean "@every 1h"\?/],
    ['every 1h 30min', /did you mean "@every 1h30m"\?/],
    ['hourly', /did you mean "@hourly"\?/],
    ['daily', /did you mean "@daily"\?/],
    ['midnight', /did you mean "@daily"\?/],
    ['0 3 * * * /usr/local/bin/backup.sh', /crontab line: the schedule is "0 3 \* \* \*", and the command \("\/usr\/local\/bin\/backup.sh"\) goes in "command"/],
    ['*/5 * * * * root test -x /usr/sbin/anacron || run-parts /etc/cron.daily', /the schedule is "\*\/5 \* \* \* \*", and the command \("root test -x/],
    ['0 3 * * * backup', /crontab line.*"backup"\) goes in "command"/],
    ['@daily /usr/sbin/logrotate /etc/logrotate.conf', /crontab line: the schedule is "@daily", and the command \("\/usr\/sbin\/logrotate \/etc\/logrotate.conf"\) goes in "command"/],
    ['@reboot /usr/local/bin/on-boot', /crontab line: the schedule is "@reboot"/],
    ['30 2 * * 1-5 cd /srv && make report > /dev/null 2>&1', /crontab line: the schedule is "30 2 \* \* 1-5"/],
  ])('issue 14: %j gets a hint', (text, hint) => {
    expect(messageOf(text)).toMatch(hint);
  });

  it.each(['0 0 3 * * MON', '0 30 9 * * mon-fri', '*/10 * * * * SUN'])('issue 14: the 6-field cron %j is no crontab line', (text) => {
    expect(messageOf(text)).toBe('ok');
  });

  it.each([
    ['61 * * * *', /^minute 61 is out of range \(0-59\)/],
    ['0 25 * * *', /^hour 25 is out of range \(0-23\)/],
    ['0 0 32 * *', /^day-of-month 32 is out of range \(1-31\)/],
    ['0 0 * 13 *', /^month 13 is out of range \(1-12 or JAN-DEC\)/],
    ['0 0 * * 8', /^day-of-week 8 is out of range/],
    ['0 0 * * MOM', /^day-of-week "MOM" is not a value, range or step/],
    ['0 0 * JANUARY *', /^month "JANUARY" is not a value/],
    ['0 0 L-3 * *', /^day-of-month "L" is not a value/],
    ['0 0 1-L * *', /^day-of-month "L" is not a value/],
    ['*/5 * * * * *  2026', /^expected a cron expression of 5 fields/],
    ['0 0 3 * * * 2026', /^expected a cron expression of 5 fields .* got 7 fields/],
    ['0 0 * * MON-FRI/0', /^day-of-week step 0/],
    ['0 0 * * 1#9', /^day-of-week "1#9": the occurrence after # must be 1-5 or L/],
  ])('issue 14: cron error %j names the field, the value and what is expected', (text, message) => {
    const shown = messageOf(text);
    expect(shown).toMatch(message);
    expect(shown).not.toMatch(CRONER_WORDING);
  });

  it('issue 14: no croner message text reaches a user, for any cron-like string (property)', () => {
    const noise = fc.stringMatching(/^[0-9*?,/#LW+ a-zA-Z-]{0,30}$/);
    fc.assert(
      fc.property(fc.oneof(cronExpression, noise), (text) => {
        const shown = messageOf(text);
        expect(shown, text).not.toMatch(CRONER_WORDING);
        if (shown !== 'ok') expect(shown.length).toBeLessThan(400);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('wrapping weekday and month ranges (issue 14)', () => {
  const from = Date.UTC(2026, 11, 2);
  const fires = (text: string, count: number): Date[] => {
    const parsed = parseSchedule(text, 'UTC');
    if (!parsed.ok) throw new Error(parsed.message);
    return nextFires(parsed.value, from, count).map((ms) => new Date(ms));
  };

  it.each([
    ['0 0 * * FRI-MON', [5, 6, 0, 1, 5, 6, 0, 1]],
    ['0 0 * * 5-1', [5, 6, 0, 1, 5, 6, 0, 1]],
    ['0 0 * * SAT-SUN', [6, 0, 6, 0, 6, 0, 6, 0]],
    ['0 0 * * 6-0', [6, 0, 6, 0, 6, 0, 6, 0]],
    ['0 0 * * 7-2', [0, 1, 2, 0, 1, 2, 0, 1]],
    ['0 0 * * fri-tue/2', [5, 0, 2, 5, 0, 2, 5, 0]],
    ['0 0 * * 1-0', [4, 5, 6, 0, 1, 2, 3, 4]],
  ])('issue 14: %j fires on the weekdays it wraps over', (text, days) => {
    expect(fires(text, 8).map((d) => d.getUTCDay())).toEqual(days);
  });

  it.each([
    ['0 0 1 NOV-FEB *', [1, 2, 11, 12, 1]],
    ['0 0 1 11-2 *', [1, 2, 11, 12, 1]],
  ])('issue 14: %j fires in the months it wraps over', (text, months) => {
    expect(fires(text, 5).map((d) => d.getUTCMonth() + 1)).toEqual(months);
  });

  it('issue 14: other fields still refuse a backwards range', () => {
    expect(messageOf('0 5-2 * * *')).toMatch(/^hour range "5-2" runs backwards/);
    expect(messageOf('0 0 20-10 * *')).toMatch(/^day-of-month range "20-10" runs backwards/);
  });
});

describe('@reboot and @start (issue 14)', () => {
  it.each(['@reboot', '@start', '@REBOOT', ' @start '])('issue 14: %j is a daemon-start schedule with no timed fires, described as @reboot', (text) => {
    const parsed = parseSchedule(text, 'UTC');
    expect(parsed).toEqual({ ok: true, value: { kind: 'start' } });
    if (!parsed.ok) return;
    expect(nextFires(parsed.value, Date.UTC(2026, 11, 2), 5)).toEqual([]);
    expect(describeSchedule(parsed.value)).toBe('@reboot');
    expect(missedFires(parsed.value, 0, Date.UTC(2026, 11, 2))).toBeNull();
  });

  it('issue 14: "@reboot 5" or "reboot" are not it, and say so', () => {
    expect(messageOf('@reboot 5')).toMatch(/unknown macro "@reboot 5"/);
    expect(messageOf('reboot')).toMatch(/did you mean "@reboot"\?/);
  });
});
