import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { missedFires } from '../../../src/schedule/missed-fires.js';
import type { Schedule } from '../../../src/types.js';

const at = Date.parse('2026-12-02T08:00:00.000Z');

describe('missedFires', () => {
  it('an interval job served 7.5 s late missed 7 fires, counted by division', () => {
    expect(missedFires({ kind: 'interval', everyMs: 1_000 }, at, at + 7_500)).toEqual({ count: 7, first: at + 1_000, last: at + 7_000 });
  });

  it('nothing is missed when the loop is on time or served it within a period', () => {
    expect(missedFires({ kind: 'interval', everyMs: 1_000 }, at, at + 999)).toBeNull();
    expect(missedFires({ kind: 'cron', expression: '* * * * * *', timezone: 'UTC' }, at, at + 5)).toBeNull();
    expect(missedFires({ kind: 'once', at: new Date(at).toISOString() }, at, at + 60_000)).toBeNull();
  });

  it('a per-second cron job served 3 s late missed 3 fires; a long stall stops counting at 100', () => {
    const everySecond: Schedule = { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' };
    expect(missedFires(everySecond, at, at + 3_000)).toEqual({ count: 3, first: at + 1_000, last: at + 3_000 });
    expect(missedFires(everySecond, at, at + 3_600_000)).toEqual({ count: 100, first: at + 1_000, last: at + 100_000, truncated: true });
  });

  it('property: never throws, stays in (at, now], and is quick, for any schedule and gap', () => {
    const schedule = fc.oneof(
      fc.integer({ min: 1, max: 86_400_000 }).map((everyMs): Schedule => ({ kind: 'interval', everyMs })),
      fc.constantFrom('* * * * * *', '*/5 * * * *', '0 3 * * *', '@hourly', '0 0 29 2 *')
        .map((expression): Schedule => ({ kind: 'cron', expression, timezone: 'Europe/Paris' })),
    );
    fc.assert(
      fc.property(schedule, fc.integer({ min: -1_000, max: 400 * 86_400_000 }), (s, gap) => {
        const started = performance.now();
        const missed = missedFires(s, at, at + gap);
        expect(performance.now() - started).toBeLessThan(1_000);
        if (missed === null) return;
        expect(missed.count).toBeGreaterThan(0);
        expect(missed.first).toBeGreaterThan(at);
        expect(missed.last).toBeLessThanOrEqual(at + gap);
        expect(missed.first).toBeLessThanOrEqual(missed.last);
      }),
      { numRuns: 150 },
    );
  });
});
