import { InvalidArgumentError } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leaseMs, nodeId, postgresUrl, schemaName } from '../../../src/cli/cluster-options.js';

const PARSERS = { postgresUrl, schemaName, nodeId, leaseMs } as const;

// An option value from a command line or the environment: any string at all.
function outcomeOf(parse: (value: string) => unknown, value: string): 'value' | 'usage error' {
  try {
    parse(value);
    return 'value';
  } catch (error) {
    if (error instanceof InvalidArgumentError) return 'usage error';
    throw error;
  }
}

describe('cluster option values', () => {
  it.each(Object.entries(PARSERS))('issue 12: %s never throws anything but a usage error, in bounded time, for any string', (_name, parse) => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })), (value) => {
        const started = performance.now();
        outcomeOf(parse, value);
        expect(performance.now() - started).toBeLessThan(50);
      }),
      { numRuns: 400 },
    );
    expect(outcomeOf(parse, 'x'.repeat(1_000_000))).toBe('usage error');
  });

  it('issue 12: a schema name that would change the SQL it goes into is a usage error', () => {
    for (const bad of ['public; DROP TABLE jobd_runs', 'a"b', 'Public', '1abc', '', 'a'.repeat(64), 'a b', 'a.b']) {
      expect(outcomeOf(schemaName, bad), bad).toBe('usage error');
    }
    expect(schemaName('jobd_prod_2')).toBe('jobd_prod_2');
  });

  it.each([
    ['postgres://jobd@db.internal/jobd', 'value'],
    ['postgresql://u:p@[::1]:5433/x?sslmode=require', 'value'],
    ['mysql://db/x', 'usage error'],
    ['db.internal', 'usage error'],
    ['postgres://a b', 'usage error'],
  ])('issue 12: --cluster %s is a %s', (value, expected) => {
    expect(outcomeOf(postgresUrl, value)).toBe(expected);
  });

  it.each([
    ['30s', 30_000],
    ['3', 3_000],
    ['1m', 60_000],
  ])('issue 12: --cluster-lease %s is %i ms', (value, ms) => {
    expect(leaseMs(value)).toBe(ms);
  });

  it.each(['2s', '0', 'soon', '-5s'])('issue 12: --cluster-lease %s is a usage error', (value) => {
    expect(outcomeOf(leaseMs, value)).toBe('usage error');
  });

  it.each(['web-1', 'a', 'node_2.eu'])('issue 12: --node-id %s is accepted', (value) => {
    expect(nodeId(value)).toBe(value);
  });

  it.each(['', '-x', "a'; DROP TABLE jobd_nodes; --", 'a'.repeat(65), 'é'])('issue 12: --node-id %j is a usage error', (value) => {
    expect(outcomeOf(nodeId, value)).toBe('usage error');
  });
});
