import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../src/types.js';
import { describeSchedule, formatInZone } from '../../../src/schedule/describe-schedule.js';
import { parseSchedule } from '../../../src/schedule/parse-schedule.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('describeSchedule', () => {
  it.each<[Schedule, string]>([
    [{ kind: 'cron', expression: '0 3 * * *', timezone: 'Europe/Paris' }, '0 3 * * * (Europe/Paris)'],
    [{ kind: 'cron', expression: '*/5 * * * *', timezone: null }, '*/5 * * * *'],
    [{ kind: 'cron', expression: '@daily', timezone: 'UTC' }, '@daily (UTC)'],
    [{ kind: 'interval', everyMs: 90 * S }, '@every 1m30s'],
    [{ kind: 'interval', everyMs: 5 * M }, '@every 5m'],
    [{ kind: 'interval', everyMs: S }, '@every 1s'],
    [{ kind: 'interval', everyMs: 1500 }, '@every 1s500ms'],
    [{ kind: 'interval', everyMs: D + H + M + S }, '@every 1d1h1m1s'],
    [{ kind: 'interval', everyMs: 2 * D }, '@every 2d'],
    [{ kind: 'interval', everyMs: 1_000_000 * D }, '@every 1000000d'],
    [{ kind: 'once', at: '2026-12-01T03:00:00.000Z' }, 'once at 2026-12-01T03:00:00.000Z'],
  ])('%j → %s', (schedule, text) => {
    expect(describeSchedule(schedule)).toBe(text);
  });

  it.each([90 * S, 1500, D + H + M + S, 7 * D + 250, 1_000_000 * D])('an interval of %i ms reads back as the same schedule', (everyMs) => {
    const schedule: Schedule = { kind: 'interval', everyMs };
    expect(parseSchedule(describeSchedule(schedule), null)).toEqual({ ok: true, value: schedule });
  });

  it('reads back a zone-less cron expression as the same schedule', () => {
    const schedule: Schedule = { kind: 'cron', expression: '*/5 * * * *', timezone: null };
    expect(parseSchedule(describeSchedule(schedule), null)).toEqual({ ok: true, value: schedule });
  });
});

describe('formatInZone', () => {
  const at = Date.parse('2026-12-01T03:00:00.000Z');

  it.each<[number, string, string]>([
    [at, 'Europe/Paris', '2026-12-01 04:00:00 Europe/Paris'],
    [at, 'UTC', '2026-12-01 03:00:00 UTC'],
    [at, 'America/New_York', '2026-11-30 22:00:00 America/New_York'],
    [at, 'Asia/Kolkata', '2026-12-01 08:30:00 Asia/Kolkata'],
    [Date.parse('2026-06-01T22:00:00.000Z'), 'Europe/Paris', '2026-06-02 00:00:00 Europe/Paris'],
    [Date.parse('2026-11-01T05:30:00.000Z'), 'America/New_York', '2026-11-01 01:30:00 America/New_York'],
    [Date.parse('2026-11-01T06:30:00.000Z'), 'America/New_York', '2026-11-01 01:30:00 America/New_York'],
    [Date.parse('2026-12-01T03:00:07.900Z'), 'UTC', '2026-12-01 03:00:07 UTC'],
  ])('%i in %s → %s', (value, zone, text) => {
    expect(formatInZone(value, zone)).toBe(text);
  });

  it('names the system zone when the zone is null', () => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const local = new Date(at);
    const pad = (n: number): string => String(n).padStart(2, '0');
    const wall =
      `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())} ` +
      `${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}`;
    expect(formatInZone(at, null)).toBe(`${wall} ${zone}`);
  });
});
