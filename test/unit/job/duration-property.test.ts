import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parseDurationOrZero } from '../../../src/job/duration.js';
import { timed } from '../timed.js';

function expectValueOrProblem(parsed: ReturnType<typeof parseDuration>, allowZero = false): void {
  if (parsed.ok) {
    expect(Number.isSafeInteger(parsed.value)).toBe(true);
    expect(parsed.value).toBeGreaterThanOrEqual(allowZero ? 0 : 1);
  } else {
    expect(parsed.message.length).toBeGreaterThan(0);
    expect(parsed.message.length).toBeLessThan(300);
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const durationish = fc.stringMatching(/^[0-9.msdh +-]{0,40}$/);
const parts = fc.array(fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom('ms', 's', 'm', 'h', 'd')), { minLength: 1, maxLength: 5 });

describe('durations (property): outside input never throws', () => {
  it('any JSON value is a duration or a problem, in bounded time', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string(), durationish, fc.double()), (value) => {
        expectValueOrProblem(timed(() => parseDuration(value)));
        expectValueOrProblem(timed(() => parseDurationOrZero(value)), true);
      }),
      { numRuns: 2000 },
    );
  });

  it('long runs of digits, dots and units are refused or read in bounded time', () => {
    fc.assert(
      fc.property(fc.constantFrom('1', '1.', '1s', '1ms', '.', 'm', '9'), fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom('', 'x', 's'), (piece, times, tail) => {
        expectValueOrProblem(timed(() => parseDuration(piece.repeat(times) + tail)));
      }),
      { numRuns: 60 },
    );
  });

  it('a string of <number><unit> parts is their sum', () => {
    fc.assert(
      fc.property(parts, (list) => {
        const text = list.map(([n, unit]) => `${n}${unit}`).join('');
        const total = list.reduce((sum, [n, unit]) => sum + n * UNIT_MS[unit]!, 0);
        const parsed = parseDuration(text);
        if (total === 0) expect(parsed.ok).toBe(false);
        else expect(parsed).toEqual({ ok: true, value: total });
      }),
      { numRuns: 500 },
    );
  });

  it('issue 14: systemd spellings ("2h 30min", "5 minutes", "1day") read as the sum of their parts, huge ones are a clear error', () => {
    const spelled = fc.tuple(
      fc.integer({ min: 0, max: 10_000_000 }),
      fc.constantFrom(['msec', 1], ['sec', 1000], ['seconds', 1000], ['min', 60_000], ['minutes', 60_000], ['hr', 3_600_000], ['hours', 3_600_000], ['day', 86_400_000], ['weeks', 604_800_000], ['w', 604_800_000]),
      fc.constantFrom('', ' '),
    );
    fc.assert(
      fc.property(fc.array(spelled, { minLength: 1, maxLength: 4 }), fc.constantFrom('', ' '), (pieces, gap) => {
        const text = pieces.map(([n, [unit], space]) => `${n}${space}${unit}`).join(gap);
        const total = pieces.reduce((sum, [n, [, ms]]) => sum + n * (ms as number), 0);
        const parsed = timed(() => parseDuration(text));
        if (total === 0) expect(parsed.ok).toBe(false);
        else if (total > 10_000_000 * 86_400_000) expect(parsed).toMatchObject({ ok: false, message: expect.stringMatching(/^duration too large/) });
        else expect(parsed).toEqual({ ok: true, value: total });
      }),
      { numRuns: 500 },
    );
  });

  it('formatDuration never throws and gives one short word for any duration jobd can hold', () => {
    const held = fc.oneof(
      fc.double({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    );
    fc.assert(
      fc.property(held, (ms) => {
        const text = formatDuration(ms);
        expect(text.length).toBeGreaterThan(0);
        expect(text.length).toBeLessThan(40);
      }),
      { numRuns: 1000 },
    );
  });
});
