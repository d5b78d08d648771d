import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../src/types.js';
import { nextFire } from '../../../src/schedule/next-fire.js';

const cron = (expression: string, timezone: string | null = 'UTC'): Schedule => ({ kind: 'cron', expression, timezone });
const ms = (iso: string): number => Date.parse(iso);
const iso = (value: number | null): string | null => (value === null ? null : new Date(value).toISOString());

describe('nextFire: cron', () => {
  it.each<[string, string | null, string, string]>([
    ['*/5 * * * *', 'UTC', '2026-06-01T10:02:00.000Z', '2026-06-01T10:05:00.000Z'],
    ['0 3 * * *', 'UTC', '2026-06-01T10:00:00.000Z', '2026-06-02T03:00:00.000Z'],
    ['0 3 * * *', 'Europe/Paris', '2026-06-01T00:00:00.000Z', '2026-06-01T01:00:00.000Z'],
    ['0 3 * * *', 'Europe/Paris', '2026-12-01T00:00:00.000Z', '2026-12-01T02:00:00.000Z'],
    ['0 3 * * *', 'Asia/Tokyo', '2026-06-01T00:00:00.000Z', '2026-06-01T18:00:00.000Z'],
    ['*/10 * * * * *', 'UTC', '2026-06-01T10:00:01.000Z', '2026-06-01T10:00:10.000Z'],
    ['@hourly', 'UTC', '2026-06-01T10:00:00.000Z', '2026-06-01T11:00:00.000Z'],
    ['@daily', 'America/New_York', '2026-06-01T12:00:00.000Z', '2026-06-02T04:00:00.000Z'],
    ['@weekly', 'UTC', '2026-06-01T00:00:00.000Z', '2026-06-07T00:00:00.000Z'],
    ['@monthly', 'UTC', '2026-06-15T00:00:00.000Z', '2026-07-01T00:00:00.000Z'],
    ['@yearly', 'UTC', '2026-06-15T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['0 9 * * MON-FRI', 'UTC', '2026-06-05T09:00:00.000Z', '2026-06-08T09:00:00.000Z'],
    ['0 0 29 2 *', 'UTC', '2026-03-01T00:00:00.000Z', '2028-02-29T00:00:00.000Z'],
  ])('%s in %s after %s is %s', (expression, zone, after, expected) => {
    expect(iso(nextFire(cron(expression, zone), ms(after)))).toBe(expected);
  });

  it('uses the system zone when the zone is null', () => {
    const after = new Date(2026, 5, 1, 12, 0, 0).getTime();
    expect(nextFire(cron('0 3 * * *', null), after)).toBe(new Date(2026, 5, 2, 3, 0, 0).getTime());
  });

  it('is strictly after `after`, at millisecond resolution', () => {
    const daily = cron('0 3 * * *');
    expect(iso(nextFire(daily, ms('2026-12-01T03:00:00.000Z')))).toBe('2026-12-02T03:00:00.000Z');
    expect(iso(nextFire(daily, ms('2026-12-01T02:59:59.999Z')))).toBe('2026-12-01T03:00:00.000Z');
    expect(iso(nextFire(daily, ms('2026-12-01T03:00:00.001Z')))).toBe('2026-12-02T03:00:00.000Z');
    const everySecond = cron('* * * * * *');
    expect(iso(nextFire(everySecond, ms('2026-12-01T03:00:00.500Z')))).toBe('2026-12-01T03:00:01.000Z');
    expect(iso(nextFire(everySecond, ms('2026-12-01T03:00:00.000Z')))).toBe('2026-12-01T03:00:01.000Z');
  });

  it('gives the same answer on repeated calls (cached instances keep no state)', () => {
    const schedule = cron('*/15 * * * *', 'Europe/Paris');
    const after = ms('2026-06-01T10:07:00.000Z');
    const first = nextFire(schedule, after);
    nextFire(schedule, ms('2030-01-01T00:00:00.000Z'));
    expect(nextFire(schedule, after)).toBe(first);
    expect(nextFire({ ...schedule }, after)).toBe(first);
  });

  it('keeps expressions with the same text in different zones apart', () => {
    const after = ms('2026-06-01T00:00:00.000Z');
    expect(iso(nextFire(cron('0 3 * * *', 'UTC'), after))).toBe('2026-06-01T03:00:00.000Z');
    expect(iso(nextFire(cron('0 3 * * *', 'Europe/Paris'), after))).toBe('2026-06-01T01:00:00.000Z');
  });
});

// croner 11 (README, "DST handling"): a fixed-time job in a gap runs at the first valid
// time after the gap, the same day; a repeated wall time runs once, at its first occurrence.
describe('nextFire: DST', () => {
  it.each<[string, string, string, string[]]>([
    ['New York spring forward: 02:30 runs when the clock jumps, at 03:00 EDT', '30 2 * * *', 'America/New_York',
      ['2026-03-07T07:30:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']],
    ['New York fall back: 01:30 runs once', '30 1 * * *', 'America/New_York',
      ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']],
    ['Paris spring forward: 02:30 runs at 03:00 CEST', '30 2 * * *', 'Europe/Paris',
      ['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']],
    ['Paris fall back: 02:30 runs once', '30 2 * * *', 'Europe/Paris',
      ['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']],
    ['New York: 03:30, just after the gap, is not doubled', '30 3 * * *', 'America/New_York',
      ['2026-03-07T08:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T07:30:00.000Z']],
  ])('%s', (_name, expression, zone, fires) => {
    const schedule = cron(expression, zone);
    let after = ms(fires[0] ?? '') - 1;
    for (const expected of fires) {
      const next = nextFire(schedule, after);
      expect(iso(next)).toBe(expected);
      after = next ?? after;
    }
  });

  it('runs a wall-clock (step) job on both passes of a repeated hour', () => {
    const schedule = cron('*/30 1 * * *', 'America/New_York');
    const fires: string[] = [];
    let after = ms('2026-11-01T04:00:00.000Z');
    for (let i = 0; i < 5; i++) {
      const next = nextFire(schedule, after) ?? after;
      fires.push(new Date(next).toISOString());
      after = next;
    }
    expect(fires).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T06:30:00.000Z',
      '2026-11-02T06:00:00.000Z',
    ]);
  });
});

describe('nextFire: interval', () => {
  const every = (everyMs: number): Schedule => ({ kind: 'interval', everyMs });
  const min = 60_000;

  it.each<[string, number, number, number | null | undefined, number]>([
    ['no anchor: one period after `after`', 5 * min, 1_000_000, undefined, 1_000_000 + 5 * min],
    ['null anchor: one period after `after`', 5 * min, 1_000_000, null, 1_000_000 + 5 * min],
    ['anchor in the future: the anchor itself', 5 * min, 1_000_000, 1_000_000 + 42, 1_000_000 + 42],
    ['anchor equal to `after`: one period on', 5 * min, 1_000_000, 1_000_000, 1_000_000 + 5 * min],
    ['anchor in the past: keeps its phase', 5 * min, 10 * min + 7, 7, 15 * min + 7],
    ['anchor in the past, `after` on a fire: the next one', 5 * min, 10 * min + 7, 5 * min + 7, 15 * min + 7],
    ['anchor a few periods back, mid-period', 90_000, 1_000_000, 100_000, 1_090_000],
  ])('%s', (_name, everyMs, after, anchor, expected) => {
    expect(nextFire(every(everyMs), after, anchor)).toBe(expected);
  });

  it('starts a fresh timeline from an unreadable anchor', () => {
    expect(nextFire(every(5 * min), 1_000_000, Number.NaN)).toBe(1_000_000 + 5 * min);
  });

  it('jumps a gap of years at once, without stepping', () => {
    const anchor = ms('2000-01-01T00:00:00.000Z');
    const after = ms('2026-06-01T12:34:56.789Z');
    const next = nextFire(every(1000), after, anchor) ?? 0;
    expect(next).toBe(ms('2026-06-01T12:34:57.000Z'));
    expect((next - anchor) % 1000).toBe(0);
  });

  it('returns the first timeline point strictly after `after` over a thousand seeded timelines', () => {
    let seed = 42;
    // A fixed Lehmer (MINSTD) sequence: varied cases, the same on every run.
    const random = (): number => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    for (let i = 0; i < 1000; i++) {
      const everyMs = 1000 + Math.floor(random() * 1e9);
      const anchor = Math.floor(random() * 1e12);
      const after = anchor + Math.floor(random() * 1e12);
      const next = nextFire(every(everyMs), after, anchor) ?? 0;
      expect(next).toBeGreaterThan(after);
      expect(next - everyMs).toBeLessThanOrEqual(after);
      expect((next - anchor) % everyMs).toBe(0);
    }
  });
});

describe('nextFire: once', () => {
  const at = '2026-12-01T03:00:00.000Z';
  const schedule: Schedule = { kind: 'once', at };

  it.each<[string, string, string | null]>([
    ['before the instant', '2026-11-30T00:00:00.000Z', at],
    ['one millisecond before', '2026-12-01T02:59:59.999Z', at],
    ['at the instant', at, null],
    ['after the instant', '2027-01-01T00:00:00.000Z', null],
  ])('%s', (_name, after, expected) => {
    expect(iso(nextFire(schedule, ms(after)))).toBe(expected);
  });

  it('ignores an anchor', () => {
    expect(iso(nextFire(schedule, ms('2026-01-01T00:00:00.000Z'), 5))).toBe(at);
  });
});
