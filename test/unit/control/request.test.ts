import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TARGET_CHARS, parseTarget } from '../../../src/control/request.js';

/** Paths as a hostile client writes them: percent signs, bad escapes, unicode, control bytes, long runs. */
const hostilePath = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(fc.oneof(fc.constantFrom('%', '%ff', '%E0%A4%A', '%00', '%2F', '/', '?', '#', '..', 'jobs', 'é', '\u{1F600}'), fc.string()), { maxLength: 40 })
    .map((parts) => `/${parts.join('')}`),
  fc.integer({ min: MAX_TARGET_CHARS - 5, max: MAX_TARGET_CHARS * 4 }).map((n) => `/${'%'.repeat(n)}`),
);

describe('parseTarget (request targets from the socket)', () => {
  it('issue 11.2: never throws; returns decoded parts or a 400/414 refusal, in bounded time', () => {
    fc.assert(
      fc.property(hostilePath, (raw) => {
        const started = performance.now();
        const target = parseTarget(raw);
        expect(performance.now() - started).toBeLessThan(50);
        if (target.ok) {
          expect(raw.startsWith('/')).toBe(true);
          expect(target.parts.every((part) => part !== '')).toBe(true);
        } else {
          expect([400, 414]).toContain(target.status);
          expect(target.error.length).toBeLessThan(300);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('issue 11.2: GET /jobs/% and friends are a 400 naming the bad segment, not a URIError', () => {
    for (const raw of ['/jobs/%', '/jobs/%ff', '/jobs/%E0%A4%A']) {
      const target = parseTarget(raw);
      expect(target).toMatchObject({ ok: false, status: 400, error: expect.stringContaining('percent-encoding') });
    }
  });

  it('decodes segments and splits the query', () => {
    const target = parseTarget('/jobs/a%20b/run?wait&job=x');
    expect(target).toMatchObject({ ok: true, pathname: '/jobs/a%20b/run', parts: ['jobs', 'a b', 'run'] });
    if (target.ok) expect([target.query.has('wait'), target.query.get('job')]).toEqual([true, 'x']);
    expect(parseTarget(`/${'a'.repeat(MAX_TARGET_CHARS)}`)).toMatchObject({ ok: false, status: 414 });
    expect(parseTarget('http://elsewhere/status')).toMatchObject({ ok: false, status: 400 });
  });
});
