import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../src/types.js';
import { missedFire, nextFires } from '../../../src/schedule/next-fire.js';

const ms = (iso: string): number => Date.parse(iso);
const isos = (values: number[]): string[] => values.map((value) => new Date(value).toISOString());
const MIN = 60_000;

describe('nextFires', () => {
  it('lists successive cron fires', () => {
    const schedule: Schedule = { kind: 'cron', expression: '0 3 * * *', timezone: 'Europe/Paris' };
    expect(isos(nextFires(schedule, ms('2026-10-23T12:00:00.000Z'), 4))).toEqual([
      '2026-10-24T01:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-26T02:00:00.000Z',
      '2026-10-27T02:00:00.000Z',
    ]);
  });

  it('returns exactly `count` fires', () => {
    const schedule: Schedule = { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' };
    for (const count of [0, 1, 5, 100]) expect(nextFires(schedule, 0, count)).toHaveLength(count);
  });

  it('follows an interval timeline from its anchor', () => {
    const schedule: Schedule = { kind: 'interval', everyMs: 5 * MIN };
    expect(nextFires(schedule, 12 * MIN, 3, 1 * MIN)).toEqual([16 * MIN, 21 * MIN, 26 * MIN]);
    expect(nextFires(schedule, 12 * MIN, 3, 30 * MIN)).toEqual([30 * MIN, 35 * MIN, 40 * MIN]);
  });

  it('starts an unanchored interval one period after `after`', () => {
    const schedule: Schedule = { kind: 'interval', everyMs: 90_000 };
    expect(nextFires(schedule, 1_000_000, 3)).toEqual([1_090_000, 1_180_000, 1_270_000]);
  });

  it('gives a one-shot at most once', () => {
    const schedule: Schedule = { kind: 'once', at: '2026-12-01T03:00:00.000Z' };
    expect(isos(nextFires(schedule, ms('2026-01-01T00:00:00.000Z'), 5))).toEqual(['2026-12-01T03:00:00.000Z']);
    expect(nextFires(schedule, ms('2027-01-01T00:00:00.000Z'), 5)).toEqual([]);
  });

  it('lists a leap-day job across the years between its fires', () => {
    const schedule: Schedule = { kind: 'cron', expression: '0 0 29 2 *', timezone: 'UTC' };
    expect(isos(nextFires(schedule, ms('2026-01-01T00:00:00.000Z'), 2))).toEqual([
      '2028-02-29T00:00:00.000Z',
      '2032-02-29T00:00:00.000Z',
    ]);
  });
});

describe('missedFire', () => {
  const daily: Schedule = { kind: 'cron', expression: '0 3 * * *', timezone: 'UTC' };
  const fiveMinutes: Schedule = { kind: 'interval', everyMs: 5 * MIN };
  const oneShot: Schedule = { kind: 'once', at: '2026-12-01T03:00:00.000Z' };

  it.each<[string, Schedule, string, string, number | null, boolean]>([
    ['cron: a fire inside the downtime', daily, '2026-12-01T02:00:00.000Z', '2026-12-01T04:00:00.000Z', null, true],
    ['cron: no fire inside the downtime', daily, '2026-12-01T04:00:00.000Z', '2026-12-02T02:59:59.999Z', null, false],
    ['cron: a fire exactly at `now` counts', daily, '2026-12-01T02:00:00.000Z', '2026-12-01T03:00:00.000Z', null, true],
    ['cron: a fire exactly at `since` does not', daily, '2026-12-01T03:00:00.000Z', '2026-12-01T04:00:00.000Z', null, false],
    ['cron: many fires missed', daily, '2026-01-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', null, true],
    ['once: the instant fell in the downtime', oneShot, '2026-11-30T00:00:00.000Z', '2026-12-02T00:00:00.000Z', null, true],
    ['once: the instant is still ahead', oneShot, '2026-11-30T00:00:00.000Z', '2026-12-01T02:00:00.000Z', null, false],
    ['once: the instant was before the downtime', oneShot, '2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z', null, false],
  ])('%s', (_name, schedule, since, now, anchor, expected) => {
    expect(missedFire(schedule, ms(since), ms(now), anchor)).toBe(expected);
  });

  it.each<[string, number, number, number | null, boolean]>([
    ['interval without anchor: a period has passed', 0, 5 * MIN, null, true],
    ['interval without anchor: less than a period', 0, 5 * MIN - 1, null, false],
    ['interval on its timeline: a point in the downtime', 12 * MIN, 17 * MIN, 1 * MIN, true],
    ['interval on its timeline: no point in the downtime', 12 * MIN, 15 * MIN, 1 * MIN, false],
    ['interval with a future anchor: not yet', 12 * MIN, 15 * MIN, 20 * MIN, false],
    ['interval with an anchor in the downtime', 12 * MIN, 25 * MIN, 20 * MIN, true],
  ])('%s', (_name, since, now, anchor, expected) => {
    expect(missedFire(fiveMinutes, since, now, anchor)).toBe(expected);
  });
});
