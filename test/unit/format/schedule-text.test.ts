import { describe, expect, it } from 'vitest';
import { scheduleWithWords } from '../../../src/format/schedule-text.js';

describe('scheduleWithWords', () => {
  it.each<[string, string | null | undefined, string]>([
    ['0 3 * * *', 'every day at 03:00', 'every day at 03:00 (0 3 * * *)'],
    ['@every 1h', 'every hour', 'every hour (@every 1h)'],
    ['@reboot', 'at each daemon start', 'at each daemon start (@reboot)'],
    ['0 3 * * * (Europe/Paris)', 'every day at 03:00 (Europe/Paris)', 'every day at 03:00 (0 3 * * *, Europe/Paris)'],
    ['once at 2026-12-01T03:00:00.000Z', 'once at 2026-12-01 03:00 UTC', 'once at 2026-12-01 03:00 UTC (2026-12-01T03:00:00.000Z)'],
    ['1,2,3 * * * *', '1,2,3 * * * *', '1,2,3 * * * *'],
    ['0 3 * * *', undefined, '0 3 * * *'],
    ['0 3 * * *', null, '0 3 * * *'],
    ['0 3 * * *', '', '0 3 * * *'],
  ])('%s with %j → %s', (expression, words, text) => {
    expect(scheduleWithWords(expression, words)).toBe(text);
  });
});
