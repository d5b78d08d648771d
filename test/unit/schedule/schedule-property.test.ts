import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../src/types.js';
import { nextFire, nextFires } from '../../../src/schedule/next-fire.js';
import { parseSchedule } from '../../../src/schedule/parse-schedule.js';
import { cronExpression } from './cron-arbitrary.js';
import { timed } from '../timed.js';

const ZONES = Intl.supportedValuesOf('timeZone');
const zone = fc.oneof(
  fc.constant(null),
  fc.constantFrom(...ZONES, 'UTC', 'Pacific/Chatham', 'Australia/Lord_Howe', 'America/Santiago'),
  fc.constantFrom('Mars/Olympus', '', '+01:00', 'utc', 'Europe/Paris\n'),
);
const scheduleText = fc.oneof(
  fc.string(),
  cronExpression,
  fc.stringMatching(/^[0-9*/,?LW#+ -]{0,30}$/),
  fc.tuple(fc.constantFrom('@every ', '@EVERY', '@', '@daily', '@hourly '), fc.string({ maxLength: 12 })).map(([a, b]) => a + b),
  fc.tuple(fc.date({ noInvalidDate: true }), fc.constantFrom('', 'Z', '+01:00', '-23:59', 'x')).map(([d, end]) => d.toISOString().slice(0, 19) + end),
);
const FIELDS = ['cron', 'every', 'unit', 'at', 'timezone', 'tz', 'crn'];
const scheduleObject = fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(scheduleText, fc.jsonValue(), zone), { maxKeys: 4 });
const raw = fc.oneof(scheduleText, scheduleObject, fc.jsonValue());

function expectScheduleOrProblem(parsed: ReturnType<typeof parseSchedule>): void {
  if (parsed.ok) {
    expect(['cron', 'interval', 'once']).toContain(parsed.value.kind);
    return;
  }
  expect(typeof parsed.path).toBe('string');
  expect(parsed.message.length).toBeGreaterThan(0);
  expect(parsed.message.length).toBeLessThan(500);
}

describe('schedules (property): outside input never throws', () => {
  it('parseSchedule of any string, object or JSON value, in any zone, is a schedule or one problem, in bounded time', () => {
    fc.assert(
      fc.property(raw, zone, (value, defaultZone) => {
        expectScheduleOrProblem(timed(() => parseSchedule(value, defaultZone)));
      }),
      { numRuns: 1500 },
    );
  });

  it('a huge schedule string gives a short problem, in bounded time', () => {
    fc.assert(
      fc.property(fc.constantFrom('1', '* ', '*/1,', '@every 1', '2026-01-01T', ':'), fc.integer({ min: 10_000, max: 200_000 }), (piece, times) => {
        expectScheduleOrProblem(timed(() => parseSchedule(piece.repeat(times), 'UTC')));
      }),
      { numRuns: 30 },
    );
  });
});

// From 1970 to 2200: far past the zones' known rules, which then repeat.
const after = fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) });

describe('nextFire (property): later or null, in bounded time, never throws', () => {
  it('every valid cron expression in any zone gives a later instant, or null', () => {
    const validCron = fc
      .tuple(cronExpression, zone)
      .map(([expression, timezone]) => parseSchedule({ cron: expression, ...(timezone ? { timezone } : {}) }, 'UTC'))
      .filter((parsed): parsed is { ok: true; value: Schedule } => parsed.ok);
    fc.assert(
      fc.property(validCron, after, ({ value: schedule }, from) => {
        const fires = timed(() => nextFires(schedule, from, 3));
        let previous = from;
        for (const fire of fires) {
          expect(Number.isFinite(fire)).toBe(true);
          expect(fire).toBeGreaterThan(previous);
          previous = fire;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('intervals and one-shots give a later instant, or null', () => {
    const schedule = fc.oneof(
      fc.integer({ min: 1000, max: 1_000_000 * 86_400_000 }).map((everyMs): Schedule => ({ kind: 'interval', everyMs })),
      fc.date({ noInvalidDate: true }).map((d): Schedule => ({ kind: 'once', at: d.toISOString() })),
    );
    const anchor = fc.oneof(fc.constant(undefined), fc.constant(null), fc.constant(Number.NaN), after);
    fc.assert(
      fc.property(schedule, after, anchor, (s, from, a) => {
        const next = timed(() => nextFire(s, from, a));
        if (next !== null) expect(next).toBeGreaterThan(from);
      }),
      { numRuns: 1000 },
    );
  });
});
