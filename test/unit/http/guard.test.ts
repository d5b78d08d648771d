import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bearerOf, cookieValue, hostAllowed, sameOrigin } from '../../../src/http/guard.js';
import { escapeHtml, html } from '../../../src/http/html.js';
import { jobsQuery } from '../../../src/http/jobs-page.js';

const bound = { host: '127.0.0.1', port: 8080 };

describe('issue 15: parsers of outside input on the status page never throw, in bounded time', () => {
  it('issue 15: Host, Origin, Cookie and Authorization headers of any text give a yes or no', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), fc.string({ maxLength: 200 }), (text, other) => {
        const started = performance.now();
        expect(typeof hostAllowed(text, bound)).toBe('boolean');
        expect(typeof sameOrigin({ host: other, origin: text, 'sec-fetch-site': other })).toBe('boolean');
        const cookie = cookieValue(text, other);
        expect(cookie === null || cookie.length <= 1024).toBe(true);
        const bearer = bearerOf({ authorization: text, cookie: other });
        expect(bearer === null || typeof bearer === 'string').toBe(true);
        expect(performance.now() - started).toBeLessThan(50);
      }),
      { numRuns: 500 },
    );
  });

  it('issue 15: only loopback names with the right port pass the Host check on loopback', () => {
    expect(hostAllowed('127.0.0.1:8080', bound)).toBe(true);
    expect(hostAllowed('localhost:8080', bound)).toBe(true);
    expect(hostAllowed('[::1]:8080', bound)).toBe(true);
    expect(hostAllowed('evil.example:8080', bound)).toBe(false);
    expect(hostAllowed('127.0.0.1:8081', bound)).toBe(false);
    expect(hostAllowed(undefined, bound)).toBe(false);
  });

  it('issue 15: the jobs table query of any text is a bounded filter, a known state or none, and a page number', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (text) => {
        const query = jobsQuery(new URLSearchParams(text));
        expect(query.text.length).toBeLessThanOrEqual(200);
        expect(Number.isInteger(query.page) && query.page >= 1).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('issue 15: escaped text never leaves a tag or attribute open', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => {
        const out = html`<td title="${text}">${text}</td>`.html;
        expect(escapeHtml(text)).not.toMatch(/[<>"']/);
        expect(out.match(/</g)?.length).toBe(2);
      }),
      { numRuns: 500 },
    );
  });
});
