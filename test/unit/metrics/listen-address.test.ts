import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseListenAddress } from '../../../src/metrics/metrics-server.js';

describe('parseListenAddress (--metrics [host:]port)', () => {
  it('issue 11.27: a port alone, the README form, is that port on 127.0.0.1', () => {
    expect(parseListenAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListenAddress('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(parseListenAddress('localhost:80')).toEqual({ host: 'localhost', port: 80 });
    expect(parseListenAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
  });

  it('issue 11.27: values that are not [host:]port are refused', () => {
    for (const bad of ['', 'lots', ':9464', 'host:', '::1:9464', '[::1]', '65536', '1.2.3.4:99999', '946:4x', '-1', '12 34']) {
      expect(parseListenAddress(bad), bad).toBeNull();
    }
  });

  it('issue 11.27: never throws; any answer is a port in range and a host without colons unless bracketed', () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom(':', '[', ']', ''), fc.integer({ min: -10, max: 100_000 })).map(([a, b, c]) => `${a}${b}${c}`),
    );
    fc.assert(
      fc.property(hostile, (value) => {
        const address = parseListenAddress(value);
        if (address === null) return;
        expect(Number.isInteger(address.port) && address.port >= 0 && address.port <= 65_535).toBe(true);
        expect(address.host.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65_535 }), (port) => {
        expect(parseListenAddress(String(port))).toEqual({ host: '127.0.0.1', port });
        expect(parseListenAddress(`[::1]:${port}`)).toEqual({ host: '::1', port });
      }),
      { numRuns: 200 },
    );
  });
});
