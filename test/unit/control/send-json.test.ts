import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPieces } from '../../../src/control/send-json.js';

describe('jsonPieces (big answers written in slices)', () => {
  it('joined, the pieces are exactly JSON.stringify of the value', () => {
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.dictionary(fc.string(), fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }), fc.date({ noInvalidDate: true }))),
      fc.array(fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }))),
    );
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 4 }), (v, depth) => {
        expect([...jsonPieces(v, depth)].join('')).toBe(JSON.stringify(v));
      }),
      { numRuns: 300 },
    );
  });

  it('a long list comes out one element at a time', () => {
    const pieces = [...jsonPieces({ jobs: Array.from({ length: 1000 }, (_, i) => ({ id: `j${i}` })) }, 2)];
    expect(pieces.length).toBeGreaterThan(1000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(20);
  });
});
