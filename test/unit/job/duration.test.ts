import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parseDurationOrZero } from '../../../src/job/duration.js';

describe('parseDuration', () => {
  it.each([
    [30, 30_000],
    [0.5, 500],
    [1.5, 1500],
    ['90', 90_000],
    ['2.5', 2500],
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['1m500ms', 60_500],
  ])('reads %j as %d ms', (value, ms) => {
    expect(parseDuration(value)).toEqual({ ok: true, value: ms });
  });

  it.each([
    ['5 minutes', '"5 minutes"'],
    ['1h 30m', '"1h 30m"'],
    ['', '""'],
    ['s', '"s"'],
    ['10x', '"10x"'],
    ['-5s', '"-5s"'],
    ['1H', '"1H"'],
    [null, 'null'],
    [true, 'true'],
    [[30], '[30]'],
    [{ seconds: 30 }, '{"seconds":30}'],
    [Number.NaN, 'null'],
    [Number.POSITIVE_INFINITY, 'null'],
    [-1, '-1'],
  ])('rejects %j, showing the received value', (value, shown) => {
    expect(parseDuration(value)).toEqual({
      ok: false,
      path: '',
      message: `expected a duration like 30, "30s", "500ms" or "1h30m", got ${shown}`,
    });
  });

  it.each([0, '0', '0s', '0ms', '0.0001s', 0.0001])('rejects the zero duration %j and says it must be greater than 0', (value) => {
    const parsed = parseDuration(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/^expected a duration greater than 0, like 30, "30s", "500ms" or "1h30m", got /);
  });

  it('accepts zero only through parseDurationOrZero', () => {
    expect(parseDurationOrZero(0)).toEqual({ ok: true, value: 0 });
    expect(parseDurationOrZero('0s')).toEqual({ ok: true, value: 0 });
    expect(parseDurationOrZero('2s')).toEqual({ ok: true, value: 2000 });
    expect(parseDurationOrZero(-1).ok).toBe(false);
    expect(parseDurationOrZero('soon').ok).toBe(false);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [999.4, '999ms'],
    [999.6, '1s'],
    [1000, '1s'],
    [1200, '1.2s'],
    [59_940, '59.9s'],
    [59_960, '1m'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [3_599_700, '1h'],
    [5_400_000, '1h30m'],
    [7_200_000, '2h'],
    [7_229_000, '2h'],
    [93_600_000, '1d2h'],
    [86_400_000, '1d'],
    [-1500, '-1.5s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each(['850ms', '1.2s', '1m30s', '2h', '1d2h'])('reads back what it writes: %s', (text) => {
    const parsed = parseDuration(text);
    expect(parsed.ok && formatDuration(parsed.value)).toBe(text);
  });
});
