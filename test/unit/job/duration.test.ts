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
    ['5min', 300_000],
    ['5 minutes', 300_000],
    ['2h 30min', 9_000_000],
    ['1h 30m', 5_400_000],
    ['1day', 86_400_000],
    ['2 weeks', 1_209_600_000],
    ['1w', 604_800_000],
    ['500msec', 500],
    ['3sec', 3000],
    ['1hr', 3_600_000],
    ['1 second', 1000],
    ['1500us', 2],
    ['1month', 2_630_016_000],
    ['1y', 31_557_600_000],
  ])('reads %j as %d ms', (value, ms) => {
    expect(parseDuration(value)).toEqual({ ok: true, value: ms });
  });

  it.each([
    ['5 parsecs', '"5 parsecs"'],
    ['1M', '"1M"'],
    [' 5m', '" 5m"'],
    ['5m,3s', '"5m,3s"'],
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

  it.each(['99999999999999999999s', '9999999999999d', '1'.repeat(40) + 'y'])('issue 14: refuses the huge duration %j as too large, naming the bound', (value) => {
    expect(parseDuration(value)).toEqual({ ok: false, path: '', message: `duration too large: expected at most 10000000d, got "${value}"` });
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
