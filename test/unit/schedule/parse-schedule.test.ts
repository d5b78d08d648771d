import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../src/types.js';
import { parseSchedule } from '../../../src/schedule/parse-schedule.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

function parsed(raw: unknown, defaultZone: string | null = null): Schedule {
  const result = parseSchedule(raw, defaultZone);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(raw)} to parse, got ${result.path}: ${result.message}`);
  return result.value;
}

const cron = (expression: string, timezone: string | null = null): Schedule => ({ kind: 'cron', expression, timezone });
const every = (everyMs: number): Schedule => ({ kind: 'interval', everyMs });
const once = (at: string): Schedule => ({ kind: 'once', at });

describe('parseSchedule: cron strings', () => {
  it.each<[string, Schedule]>([
    ['*/5 * * * *', cron('*/5 * * * *')],
    ['0 3 * * *', cron('0 3 * * *')],
    ['*/10 * * * * *', cron('*/10 * * * * *')],
    ['0 30 2 * * *', cron('0 30 2 * * *')],
    ['0 9 * * MON-FRI', cron('0 9 * * MON-FRI')],
    ['0 0 1 JAN *', cron('0 0 1 JAN *')],
    ['15,45 8-18 * * 1-5', cron('15,45 8-18 * * 1-5')],
    ['0 0 L * *', cron('0 0 L * *')],
    ['0 0 29 2 *', cron('0 0 29 2 *')],
    ['  0   3 *  * *  ', cron('0 3 * * *')],
    ['0\t3 * * *', cron('0 3 * * *')],
  ])('%j', (raw, expected) => {
    expect(parsed(raw)).toEqual(expected);
  });

  it.each(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'])('macro %s', (macro) => {
    expect(parsed(macro)).toEqual(cron(macro));
  });

  it('reads macros in any case, as croner does, and stores them in lower case', () => {
    expect(parsed('@Daily')).toEqual(cron('@daily'));
  });

  it('takes the default zone for a cron string, and null (system zone) without one', () => {
    expect(parsed('0 3 * * *', 'America/New_York')).toEqual(cron('0 3 * * *', 'America/New_York'));
    expect(parsed('@hourly', 'UTC')).toEqual(cron('@hourly', 'UTC'));
    expect(parsed('0 3 * * *', null)).toEqual(cron('0 3 * * *', null));
  });
});

describe('parseSchedule: cron objects', () => {
  it.each<[unknown, string | null, Schedule]>([
    [{ cron: '0 3 * * *', timezone: 'Europe/Paris' }, null, cron('0 3 * * *', 'Europe/Paris')],
    [{ cron: '0 3 * * *', timezone: 'Europe/Paris' }, 'Asia/Tokyo', cron('0 3 * * *', 'Europe/Paris')],
    [{ cron: '0 3 * * *' }, 'Asia/Tokyo', cron('0 3 * * *', 'Asia/Tokyo')],
    [{ cron: '0 3 * * *' }, null, cron('0 3 * * *', null)],
    [{ cron: '@weekly', timezone: 'UTC' }, null, cron('@weekly', 'UTC')],
    [{ cron: '*/10 * * * * *', timezone: 'Australia/Lord_Howe' }, null, cron('*/10 * * * * *', 'Australia/Lord_Howe')],
  ])('%j with default zone %s', (raw, defaultZone, expected) => {
    expect(parsed(raw, defaultZone)).toEqual(expected);
  });
});

describe('parseSchedule: intervals', () => {
  it.each<[unknown, number]>([
    ['@every 90s', 90 * S],
    ['@every 1h30m', H + 30 * M],
    ['@every 1500ms', 1500],
    ['@every 1s', S],
    ['@every 1000000d', 1_000_000 * D],
    ['@EVERY 5m', 5 * M],
    ['  @every   2h  ', 2 * H],
    [{ every: '5m' }, 5 * M],
    [{ every: 90 }, 90 * S],
    [{ every: 1.5 }, 1500],
    [{ every: 5, unit: 'minutes' }, 5 * M],
    [{ every: 1, unit: 'seconds' }, S],
    [{ every: 2, unit: 'hours' }, 2 * H],
    [{ every: 1_000_000, unit: 'days' }, 1_000_000 * D],
  ])('%j', (raw, everyMs) => {
    expect(parsed(raw, 'Europe/Paris')).toEqual(every(everyMs));
  });
});

describe('parseSchedule: one-shots', () => {
  it.each<[unknown, string | null, string, string | undefined]>([
    ['2026-12-01T03:00:00Z', null, '2026-12-01T03:00:00.000Z', undefined],
    ['2026-12-01T04:00:00+01:00', null, '2026-12-01T03:00:00.000Z', undefined],
    ['2026-12-01T04:00:00+01:00', 'Asia/Tokyo', '2026-12-01T03:00:00.000Z', undefined],
    ['2026-12-01T04:00:00', 'Europe/Paris', '2026-12-01T03:00:00.000Z', 'Europe/Paris'],
    [{ at: '2026-12-01T04:00:00', timezone: 'Europe/Paris' }, null, '2026-12-01T03:00:00.000Z', 'Europe/Paris'],
    [{ at: '2026-12-01T04:00:00', timezone: 'Europe/Paris' }, 'Asia/Tokyo', '2026-12-01T03:00:00.000Z', 'Europe/Paris'],
    [{ at: '2026-12-01T04:00:00+01:00', timezone: 'Europe/Paris' }, null, '2026-12-01T03:00:00.000Z', 'Europe/Paris'],
    [{ at: '2026-12-01T12:00:00' }, 'Asia/Tokyo', '2026-12-01T03:00:00.000Z', 'Asia/Tokyo'],
    [{ at: '2026-12-01T03:00:00.250Z' }, null, '2026-12-01T03:00:00.250Z', undefined],
    ['2020-01-01T00:00:00Z', null, '2020-01-01T00:00:00.000Z', undefined],
  ])('%j with default zone %s (issue 14: the zone it was written in is kept for display)', (raw, defaultZone, at, zone) => {
    expect(parsed(raw, defaultZone)).toEqual(zone === undefined ? once(at) : { ...once(at), timezone: zone });
  });

  it('reads a date-time without offset or zone in the system zone', () => {
    const local = new Date(2026, 11, 1, 3, 0, 0).toISOString();
    expect(parsed('2026-12-01T03:00:00', null)).toEqual(once(local));
  });
});
