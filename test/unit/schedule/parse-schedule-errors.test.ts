import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../../src/schedule/parse-schedule.js';

function problem(raw: unknown, defaultZone: string | null = null): { path: string; message: string } {
  const result = parseSchedule(raw, defaultZone);
  if (result.ok) throw new Error(`expected ${JSON.stringify(raw)} to fail, got ${JSON.stringify(result.value)}`);
  return { path: result.path, message: result.message };
}

// Each case: the value, the path of the problem, and patterns its message must match.
type Case = [raw: unknown, path: string, ...patterns: RegExp[]];

function check([raw, path, ...patterns]: Case): void {
  const found = problem(raw);
  expect(found.path).toBe(path);
  for (const pattern of patterns) expect(found.message).toMatch(pattern);
}

describe('parseSchedule: values that are no schedule form', () => {
  it.each<Case>([
    [5, '', /expected a cron expression/, /@every <duration>/, /ISO 8601/, /got 5$/],
    [null, '', /expected a cron expression/, /got null$/],
    [undefined, '', /got nothing$/],
    [true, '', /got true$/],
    [[], '', /got \[\]$/],
    [['0 3 * * *'], '', /got \["0 3 \* \* \*"\]$/],
    ['', '', /expected a cron expression/, /got ""$/],
    ['   ', '', /got " {3}"$/],
  ])('%j', (...testCase) => check(testCase));
});

describe('parseSchedule: bad cron strings', () => {
  it.each<Case>([
    ['* * * *', '', /5 fields \(minute hour day month weekday\) or 6 \(seconds first\)/, /got 4 fields: "\* \* \* \*"/],
    ['daily', '', /got "daily"; did you mean "@daily"/],
    ['0 0 3 * * * 2026', '', /5 fields .* or 6/, /got 7 fields/],
    ['61 * * * *', '', /^minute 61 is out of range \(0-59\) in "61 \* \* \* \*"$/],
    ['0 25 * * *', '', /^hour 25 is out of range \(0-23\)/],
    ['* * * * FOO', '', /^day-of-week "FOO" is not a value/, /SUN-SAT/],
    ['*/0 * * * *', '', /^minute step 0 in "\*\/0" is out of range \(1-60\)/],
    ['0 3:30 * * *', '', /cannot contain ":"/, /minute 30, hour 3/],
    ['0 0 31 2 *', '', /never fires/],
    ['@dayly', '', /unknown macro "@dayly"/, /did you mean "@daily"/, /@every <duration>/],
    ['@rebot', '', /unknown macro "@rebot"/, /did you mean "@reboot"/, /@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @reboot, @start/],
    ['@daily 5', '', /unknown macro "@daily 5"/],
  ])('%j', (...testCase) => check(testCase));
});

describe('parseSchedule: bad intervals', () => {
  it.each<Case>([
    ['@every', '', /expected "@every <duration>"/, /got "@every"/],
    ['@every soon', '', /expected a duration/, /got "soon"/],
    ['@every 500ms', '', /interval out of range: expected between 1s and 1000000d, got 500ms/],
    ['@every 1000001d', '', /interval out of range/, /1000000d/],
    [{ every: '5x' }, 'every', /expected a duration/, /got "5x"/],
    [{ every: 0 }, 'every', /greater than 0/],
    [{ every: -5 }, 'every', /expected a duration/],
    [{ every: 0.5 }, 'every', /interval out of range/, /got 500ms/],
    [{ every: null }, 'every', /got null/],
    [{ every: 5, unit: 'minuts' }, 'unit', /expected one of seconds, minutes, hours, days/, /got "minuts"/, /did you mean "minutes"/],
    [{ every: 5, unit: 60 }, 'unit', /got 60/],
    [{ every: '5', unit: 'minutes' }, 'every', /integer from 1 to 1000000 \(minutes\)/, /got "5"/],
    [{ every: 1.5, unit: 'hours' }, 'every', /integer from 1 to 1000000/],
    [{ every: 0, unit: 'days' }, 'every', /integer from 1 to 1000000/, /got 0/],
    [{ every: 1_000_001, unit: 'seconds' }, 'every', /integer from 1 to 1000000/],
    [{ every: '5m', timezone: 'Europe/Paris' }, 'timezone', /timezone goes with cron or at/],
  ])('%j', (...testCase) => check(testCase));
});

describe('parseSchedule: bad one-shots', () => {
  it.each<Case>([
    ['2026-13-01T03:00:00Z', '', /expected an ISO 8601 date-time/, /got "2026-13-01T03:00:00Z"/],
    ['2026-02-30T03:00:00Z', '', /ISO 8601/],
    ['2026-12-01T24:00:00Z', '', /ISO 8601/],
    ['2026-12-01T03:60:00Z', '', /ISO 8601/],
    ['2026-12-01', '', /ISO 8601/, /got "2026-12-01"/],
    ['2026-12-01T03:00:00+25:00', '', /ISO 8601/],
    ['2026-12-01T03:00:00 UTC', '', /ISO 8601/],
    [{ at: 'tomorrow' }, 'at', /expected an ISO 8601 date-time/, /got "tomorrow"/],
    [{ at: 1796094000000 }, 'at', /got 1796094000000/],
    [{ at: '' }, 'at', /got ""/],
  ])('%j', (...testCase) => check(testCase));
});

describe('parseSchedule: bad objects', () => {
  it.each<Case>([
    [{}, '', /one of cron, every or at/, /got an empty object/],
    [{ timezone: 'UTC' }, '', /one of cron, every or at/, /got an object with only timezone/],
    [{ crn: '0 3 * * *' }, 'crn', /unknown field "crn"/, /did you mean "cron"/, /takes cron, every, unit, at, timezone/],
    [{ cron: '0 3 * * *', timzone: 'UTC' }, 'timzone', /did you mean "timezone"/],
    [{ cron: '0 3 * * *', colour: 'red' }, 'colour', /unknown field "colour"; a schedule object takes/],
    [{ cron: '0 3 * * *', every: '5m' }, 'every', /"cron" and "every" cannot be combined/],
    [{ every: '5m', at: '2026-12-01T03:00:00Z' }, 'at', /"every" and "at" cannot be combined/],
    [{ cron: '0 3 * * *', unit: 'minutes' }, 'unit', /unit goes with every, not with cron/],
    [{ cron: 5 }, 'cron', /expected a cron expression such as "0 3 \* \* \*"/, /got 5/],
    [{ cron: '' }, 'cron', /got ""/],
    [{ cron: '@every 5m' }, 'cron', /got "@every 5m"/],
    [{ cron: '2026-12-01T03:00:00Z' }, 'cron', /expected a cron expression/],
    [{ cron: '* * * *' }, 'cron', /got 4 fields/],
    [{ cron: '@dayly' }, 'cron', /unknown macro/],
  ])('%j', (...testCase) => check(testCase));
});

describe('parseSchedule: time zones', () => {
  it.each<Case>([
    [{ cron: '0 3 * * *', timezone: 'Mars/Olympus' }, 'timezone', /expected an IANA time zone name such as "Europe\/Paris"/, /got "Mars\/Olympus"/],
    [{ cron: '0 3 * * *', timezone: '' }, 'timezone', /got ""/],
    [{ cron: '0 3 * * *', timezone: 2 }, 'timezone', /got 2/],
    [{ cron: '0 3 * * *', timezone: '+01:00' }, 'timezone', /got "\+01:00"/],
    [{ at: '2026-12-01T03:00:00', timezone: 'Nowhere/City' }, 'timezone', /got "Nowhere\/City"/],
    [{ at: '2026-12-01T03:00:00Z', timezone: null }, 'timezone', /got null/],
  ])('%j', (...testCase) => check(testCase));

  it('reports an unknown default zone where a wall time needs it', () => {
    for (const raw of ['0 3 * * *', { cron: '@daily' }, '2026-12-01T03:00:00', { at: '2026-12-01T03:00:00' }]) {
      expect(problem(raw, 'Mars/Olympus')).toEqual({
        path: '',
        message: expect.stringMatching(/unknown time zone "Mars\/Olympus" \(from --timezone or TZ\)/),
      });
    }
  });

  it('ignores an unknown default zone where no wall time needs it', () => {
    expect(parseSchedule('2026-12-01T03:00:00Z', 'Mars/Olympus').ok).toBe(true);
    expect(parseSchedule({ cron: '0 3 * * *', timezone: 'UTC' }, 'Mars/Olympus').ok).toBe(true);
    expect(parseSchedule('@every 5m', 'Mars/Olympus').ok).toBe(true);
  });
});
