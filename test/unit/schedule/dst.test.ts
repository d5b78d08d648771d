import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../src/types.js';
import { formatInZone } from '../../../src/schedule/describe-schedule.js';
import { nextFires } from '../../../src/schedule/next-fire.js';

const cron = (expression: string, timezone: string): Schedule => ({ kind: 'cron', expression, timezone });

/** Each fire after `after`, as UTC and as the zone's wall time, so a table reads both ways. */
function firesOf(expression: string, zone: string, after: string, count: number): string[] {
  return nextFires(cron(expression, zone), Date.parse(after), count).map(
    (at) => `${new Date(at).toISOString()} ${formatInZone(at, zone).slice(11, 16)}`,
  );
}

// Fixed times (no `*` and no step in seconds, minutes and hours, lists and ranges too):
// a time in a spring gap fires once at the gap's end, the same day; a repeated time fires
// once, at its first pass. Instants checked against the zones' 2027 transitions.
describe('DST: fixed-time lists and ranges neither lose a day nor run twice', () => {
  it.each<[string, string, string, string, string[]]>([
    ['issue 11.21: 15,45 2 * * * in Paris fires once at 03:00 on 2027-03-28 (spring forward)',
      '15,45 2 * * *', 'Europe/Paris', '2027-03-27T12:00:00Z',
      ['2027-03-28T01:00:00.000Z 03:00', '2027-03-29T00:15:00.000Z 02:15', '2027-03-29T00:45:00.000Z 02:45']],
    ['issue 11.21: 15,45 2 * * * in Paris fires 02:15 and 02:45 once each on 2027-10-31 (fall back)',
      '15,45 2 * * *', 'Europe/Paris', '2027-10-30T12:00:00Z',
      ['2027-10-31T00:15:00.000Z 02:15', '2027-10-31T00:45:00.000Z 02:45', '2027-11-01T01:15:00.000Z 02:15']],
    ['issue 11.21: 30 2,14 * * * in New York fires at 03:00 EDT on 2027-03-14, then 14:30',
      '30 2,14 * * *', 'America/New_York', '2027-03-13T20:00:00Z',
      ['2027-03-14T07:00:00.000Z 03:00', '2027-03-14T18:30:00.000Z 14:30', '2027-03-15T06:30:00.000Z 02:30']],
    ['issue 11.21: 0,30 1 * * * in New York fires once per time on 2027-11-07 (fall back)',
      '0,30 1 * * *', 'America/New_York', '2027-11-06T20:00:00Z',
      ['2027-11-07T05:00:00.000Z 01:00', '2027-11-07T05:30:00.000Z 01:30', '2027-11-08T06:00:00.000Z 01:00']],
    ['issue 11.21: 0 0,12 * * * in Santiago: midnight skipped by the 2027-09-05 change fires at 01:00',
      '0 0,12 * * *', 'America/Santiago', '2027-09-04T12:00:00Z',
      ['2027-09-04T16:00:00.000Z 12:00', '2027-09-05T04:00:00.000Z 01:00', '2027-09-05T15:00:00.000Z 12:00']],
    ['issue 11.21: 0 23,0 * * * in Santiago: the repeated 23:00 of 2027-04-03 fires once',
      '0 23,0 * * *', 'America/Santiago', '2027-04-03T12:00:00Z',
      ['2027-04-04T02:00:00.000Z 23:00', '2027-04-04T04:00:00.000Z 00:00', '2027-04-05T03:00:00.000Z 23:00']],
    ['issue 11.21: 15,45 2 * * * on Lord Howe (30-minute shift): 02:15 in the gap fires at 02:30 on 2027-10-03',
      '15,45 2 * * *', 'Australia/Lord_Howe', '2027-10-02T12:00:00Z',
      ['2027-10-02T15:30:00.000Z 02:30', '2027-10-02T15:45:00.000Z 02:45', '2027-10-03T15:15:00.000Z 02:15']],
    ['issue 11.21: 15,45 1 * * * on Lord Howe: the repeated half hour of 2027-04-04 fires once',
      '15,45 1 * * *', 'Australia/Lord_Howe', '2027-04-03T12:00:00Z',
      ['2027-04-03T14:15:00.000Z 01:15', '2027-04-03T14:45:00.000Z 01:45', '2027-04-04T14:45:00.000Z 01:15']],
    ['issue 11.21: 0,30 2-3 * * * in Chatham (+12:45/+13:45): 03:00 and 03:30 in the gap fire once, at 03:45',
      '0,30 2-3 * * *', 'Pacific/Chatham', '2027-09-25T12:00:00Z',
      ['2027-09-25T13:15:00.000Z 02:00', '2027-09-25T13:45:00.000Z 02:30', '2027-09-25T14:00:00.000Z 03:45',
        '2027-09-26T12:15:00.000Z 02:00']],
    ['issue 11.21: 0,30 2-3 * * * in Chatham: the repeated 03:00 and 03:30 of 2027-04-04 fire once',
      '0,30 2-3 * * *', 'Pacific/Chatham', '2027-04-03T12:00:00Z',
      ['2027-04-03T12:15:00.000Z 02:00', '2027-04-03T12:45:00.000Z 02:30', '2027-04-03T13:15:00.000Z 03:00',
        '2027-04-03T13:45:00.000Z 03:30', '2027-04-04T13:15:00.000Z 02:00']],
    ['a single time keeps the same rule: 30 2 * * * in New York fires at 03:00 EDT on 2027-03-14',
      '30 2 * * *', 'America/New_York', '2027-03-13T12:00:00Z',
      ['2027-03-14T07:00:00.000Z 03:00', '2027-03-15T06:30:00.000Z 02:30']],
  ])('%s', (_name, expression, zone, after, expected) => {
    expect(firesOf(expression, zone, after, expected.length)).toEqual(expected);
  });
});

// Wildcards and steps follow the wall clock, as Debian's cron does: no fire for wall
// times a spring gap skips, and a fire on both passes of a repeated hour.
describe('DST: wildcard and step schedules follow the wall clock', () => {
  it.each<[string, string, string, string, string[]]>([
    ['0 * * * * in Paris has no 02:00 on 2027-03-28', '0 * * * *', 'Europe/Paris', '2027-03-28T00:30:00Z',
      ['2027-03-28T01:00:00.000Z 03:00', '2027-03-28T02:00:00.000Z 04:00']],
    ['0 * * * * in Paris fires at both 02:00 on 2027-10-31', '0 * * * *', 'Europe/Paris', '2027-10-30T23:30:00Z',
      ['2027-10-31T00:00:00.000Z 02:00', '2027-10-31T01:00:00.000Z 02:00', '2027-10-31T02:00:00.000Z 03:00']],
    ['0 0-23/2 * * * in Paris has no 02:00 on 2027-03-28', '0 0-23/2 * * *', 'Europe/Paris', '2027-03-27T22:30:00Z',
      ['2027-03-27T23:00:00.000Z 00:00', '2027-03-28T02:00:00.000Z 04:00']],
    ['*/30 * * * * in Chatham fires in both passes of 2027-04-04', '*/30 * * * *', 'Pacific/Chatham', '2027-04-03T13:00:00Z',
      ['2027-04-03T13:15:00.000Z 03:00', '2027-04-03T13:45:00.000Z 03:30', '2027-04-03T14:15:00.000Z 03:00',
        '2027-04-03T14:45:00.000Z 03:30', '2027-04-03T15:15:00.000Z 04:00']],
  ])('%s', (_name, expression, zone, after, expected) => {
    expect(firesOf(expression, zone, after, expected.length)).toEqual(expected);
  });
});
