import { describe, expect, it } from 'vitest';
import { relativeTime, shortSpan } from '../../../src/format/time-span.js';

describe('shortSpan', () => {
  it.each([
    [350, '350ms'],
    [12_000, '12s'],
    [300_000, '5m'],
    [4_800_000, '1h20m'],
    [36_000_000, '10h'],
    [-90_000, '1m30s'],
  ])('%d ms is %s', (ms, text) => expect(shortSpan(ms)).toBe(text));
});

describe('relativeTime', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  it.each([
    ['2026-01-01T12:58:00Z', 'in 58m'],
    ['2026-01-01T09:00:00Z', '3h ago'],
    ['2026-01-01T12:00:00.400Z', 'now'],
    ['not a date', '—'],
  ])('%s is %s', (iso, text) => expect(relativeTime(iso, now)).toBe(text));
  it('has nothing to say of no instant', () => expect(relativeTime(null, now)).toBe('—'));
});
