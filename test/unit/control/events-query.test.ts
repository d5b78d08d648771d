import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventsQuery } from '../../../src/control/events-query.js';

const NOW = Date.parse('2026-08-01T18:00:00Z');
const parse = (query: string) => parseEventsQuery(new URLSearchParams(query), { now: NOW, maxEvents: 10_000 });

describe('parseEventsQuery: the parameters of GET /events (issue 14)', () => {
  it('issue 14: n, since (instant or span), job, level and follow are read; without n or since there is no backlog', () => {
    expect(parse('')).toEqual({ ok: true, value: { query: { n: null, sinceMs: null, job: null, minLevel: null }, backlog: false, live: true } });
    expect(parse('n=50&job=backup&level=warning')).toEqual({
      ok: true, value: { query: { n: 50, sinceMs: null, job: 'backup', minLevel: 'warn' }, backlog: true, live: false },
    });
    expect(parse('since=1h&follow')).toMatchObject({ ok: true, value: { query: { sinceMs: NOW - 3_600_000 }, backlog: true, live: true } });
    expect(parse('since=2026-08-01T17:00:00Z')).toMatchObject({ ok: true, value: { query: { sinceMs: NOW - 3_600_000 } } });
    expect(parse('follow=1&job=x')).toMatchObject({ ok: true, value: { backlog: false, live: true } });
  });

  it('issue 14: a malformed value is refused naming the parameter and what was expected', () => {
    expect(parse('n=10001')).toEqual({ ok: false, error: 'n: expected a whole number from 0 to 10000' });
    expect(parse('n=-1')).toMatchObject({ ok: false, error: expect.stringMatching(/^n: expected/) });
    expect(parse('n=1e3')).toMatchObject({ ok: false, error: expect.stringMatching(/^n: expected/) });
    expect(parse('since=yesterday')).toMatchObject({ ok: false, error: expect.stringMatching(/^since: expected an ISO instant .* or a span/) });
    expect(parse('since=2026-13-45T99:00Z')).toMatchObject({ ok: false, error: expect.stringMatching(/^since: expected/) });
    expect(parse('level=loud')).toEqual({ ok: false, error: 'level: expected trace, debug, info, warn, error or fatal' });
    expect(parse('job=')).toMatchObject({ ok: false, error: expect.stringMatching(/^job: expected/) });
    expect(parse('follow=no')).toMatchObject({ ok: false, error: expect.stringMatching(/^follow: expected/) });
    expect(parse('limit=5')).toMatchObject({ ok: false, error: expect.stringMatching(/^unknown parameter "limit"/) });
  });

  it('issue 14: property: any query string gives a value or one refusal line, never a throw, in bounded time', () => {
    const key = fc.constantFrom('n', 'since', 'job', 'level', 'follow', 'x');
    const value = fc.oneof(fc.string({ maxLength: 80 }), fc.integer().map(String), fc.constantFrom('1h', '2h30m', '0', '10000', 'warn', '2026-08-01T00:00Z'));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 8 }), fc.string({ maxLength: 200 }), (pairs, raw) => {
        for (const query of [new URLSearchParams(pairs), new URLSearchParams(raw)]) {
          const started = Date.now();
          const result = parseEventsQuery(query, { now: NOW, maxEvents: 10_000 });
          expect(Date.now() - started).toBeLessThan(100);
          if (result.ok) {
            expect(result.value.query.n === null || (result.value.query.n >= 0 && result.value.query.n <= 10_000)).toBe(true);
          } else {
            expect(result.error).not.toContain('\n');
            expect(result.error.length).toBeLessThan(300);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
