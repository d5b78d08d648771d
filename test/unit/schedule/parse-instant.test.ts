import { describe, expect, it } from 'vitest';
import { hasUtcOffset, looksLikeInstant, parseInstant } from '../../../src/schedule/parse-instant.js';

const iso = (value: number | null): string | null => (value === null ? null : new Date(value).toISOString());

describe('parseInstant', () => {
  it.each<[string, string | null, string]>([
    ['2026-12-01T03:00:00Z', null, '2026-12-01T03:00:00.000Z'],
    ['2026-12-01t03:00:00z', null, '2026-12-01T03:00:00.000Z'],
    ['2026-12-01 03:00:00Z', null, '2026-12-01T03:00:00.000Z'],
    ['2026-12-01T03:00Z', null, '2026-12-01T03:00:00.000Z'],
    ['2026-12-01T03:00:00.5Z', null, '2026-12-01T03:00:00.500Z'],
    ['2026-12-01T03:00:00,25Z', null, '2026-12-01T03:00:00.250Z'],
    ['2026-12-01T03:00:00.123456789Z', null, '2026-12-01T03:00:00.123Z'],
    ['2026-12-01T04:00:00+01:00', 'Asia/Tokyo', '2026-12-01T03:00:00.000Z'],
    ['2026-12-01T04:00:00+0100', null, '2026-12-01T03:00:00.000Z'],
    ['2026-12-01T04:00:00+01', null, '2026-12-01T03:00:00.000Z'],
    ['2026-11-30T22:00:00-05:00', null, '2026-12-01T03:00:00.000Z'],
    ['2026-12-01T08:30:00+05:30', null, '2026-12-01T03:00:00.000Z'],
    ['2026-12-01T04:00:00', 'Europe/Paris', '2026-12-01T03:00:00.000Z'],
    ['2026-06-01T05:00:00', 'Europe/Paris', '2026-06-01T03:00:00.000Z'],
    ['2026-12-01T12:00:00.750', 'Asia/Tokyo', '2026-12-01T03:00:00.750Z'],
    ['2028-02-29T00:00:00Z', null, '2028-02-29T00:00:00.000Z'],
    ['1970-01-01T00:00:00Z', null, '1970-01-01T00:00:00.000Z'],
    ['0050-06-01T00:00:00Z', null, '0050-06-01T00:00:00.000Z'],
  ])('%s in %s is %s', (text, zone, expected) => {
    expect(iso(parseInstant(text, zone))).toBe(expected);
  });

  // The same rules as croner's cron fires: a wall time in a gap moves past it,
  // a repeated wall time means its first occurrence.
  it.each<[string, string, string]>([
    ['2026-03-08T02:30:00', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['2026-11-01T01:30:00', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['2026-03-29T02:30:00', 'Europe/Paris', '2026-03-29T01:30:00.000Z'],
    ['2026-10-25T02:30:00', 'Europe/Paris', '2026-10-25T00:30:00.000Z'],
  ])('%s in %s (DST) is %s', (text, zone, expected) => {
    expect(iso(parseInstant(text, zone))).toBe(expected);
  });

  it('reads a wall time without zone in the system zone', () => {
    expect(parseInstant('2026-07-04T09:15:30.250', null)).toBe(new Date(2026, 6, 4, 9, 15, 30, 250).getTime());
  });

  it.each([
    '2026-12-01',
    '2026-12-01T03',
    '2026-12-01T3:00:00Z',
    '2026-13-01T03:00:00Z',
    '2026-00-01T03:00:00Z',
    '2026-02-29T03:00:00Z',
    '2026-04-31T03:00:00Z',
    '2026-12-00T03:00:00Z',
    '2026-12-01T24:00:00Z',
    '2026-12-01T03:60:00Z',
    '2026-12-01T03:00:60Z',
    '2026-12-01T03:00:00+24:00',
    '2026-12-01T03:00:00+01:60',
    '2026-12-01T03:00:00 UTC',
    '2026-12-01T03:00:00Europe/Paris',
    '20261201T030000Z',
    'next tuesday',
    '',
  ])('rejects %j', (text) => {
    expect(parseInstant(text, 'UTC')).toBeNull();
  });
});

describe('hasUtcOffset and looksLikeInstant', () => {
  it.each<[string, boolean]>([
    ['2026-12-01T03:00:00Z', true],
    ['2026-12-01T03:00:00+01:00', true],
    ['2026-12-01T03:00:00-0500', true],
    ['2026-12-01T03:00:00', false],
    ['2026-12-01', false],
    ['0 3 * * *', false],
  ])('%s has an offset: %s', (text, expected) => {
    expect(hasUtcOffset(text)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['2026-12-01T03:00:00Z', true],
    ['2026-12-01', true],
    ['2026-13-45 garbage', true],
    ['0 3 * * *', false],
    ['0-30 3 * * *', false],
    ['@daily', false],
  ])('%s looks like an instant: %s', (text, expected) => {
    expect(looksLikeInstant(text)).toBe(expected);
  });
});
