import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLineSplitter, MAX_LINE_BYTES, type LineBudget } from '../../../src/run/split-lines.js';

// Bytes rich in newlines, CRs and multi-byte characters, sometimes long enough to be cut.
const piece = fc.oneof(
  fc.constantFrom('\n', '\r\n', '\r', 'é', '€', '😀', 'y\n'),
  fc.string({ maxLength: 20 }),
  fc.integer({ min: MAX_LINE_BYTES - 4, max: MAX_LINE_BYTES + 40 }).map((n) => 'x'.repeat(n)),
);
const output = fc.array(piece, { maxLength: 40 }).map((pieces) => Buffer.from(pieces.join('')));
const chunking = fc.array(fc.integer({ min: 1, max: 30_000 }), { minLength: 1, maxLength: 8 });

function chunksOf(bytes: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i += 1) {
    const size = sizes[i % sizes.length]!;
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** The longest start of `line` within the cap that ends between characters. */
function headOf(line: string): string {
  const bytes = Buffer.from(line);
  let cut = MAX_LINE_BYTES;
  while ((bytes[cut]! & 0xc0) === 0x80) cut -= 1;
  return bytes.subarray(0, cut).toString('utf8');
}

function expectedLines(bytes: Buffer): number {
  const parts = bytes.toString('latin1').split('\n');
  return parts.length - 1 + (parts.at(-1) === '' ? 0 : 1);
}

describe('createLineSplitter properties', () => {
  it('issue 11.17: never throws; every line is emitted or counted once, none longer than the cap', () => {
    fc.assert(
      fc.property(output, chunking, fc.integer({ min: 0, max: 50 }), (bytes, sizes, left) => {
        const splitter = createLineSplitter();
        const budget: LineBudget = { left, dropped: 0 };
        const emitted: Buffer[] = [];
        for (const chunk of chunksOf(bytes, sizes)) splitter.write(chunk, budget, (line) => emitted.push(Buffer.from(line)));
        splitter.end(budget, (line) => emitted.push(Buffer.from(line)));
        expect(emitted.length + budget.dropped).toBe(expectedLines(bytes));
        expect(emitted.length).toBeLessThanOrEqual(left);
        for (const line of emitted) expect(line.length).toBeLessThanOrEqual(MAX_LINE_BYTES);
      }),
      { numRuns: 200 },
    );
  });

  it('with budget to spare, emits the lines as split on newlines, however the bytes are chunked', () => {
    fc.assert(
      fc.property(output, chunking, (bytes, sizes) => {
        const splitter = createLineSplitter();
        const budget: LineBudget = { left: Number.MAX_SAFE_INTEGER, dropped: 0 };
        const emitted: string[] = [];
        const emit = (line: Buffer, truncated: boolean): void => void emitted.push(`${truncated ? 'T' : '-'}${line.toString('utf8')}`);
        for (const chunk of chunksOf(bytes, sizes)) splitter.write(chunk, budget, emit);
        splitter.end(budget, emit);
        const whole = bytes.toString('utf8').split('\n');
        if (whole.at(-1) === '') whole.pop();
        const expected = whole.map((line) => (Buffer.byteLength(line) > MAX_LINE_BYTES ? `T${headOf(line)}` : `-${line.replace(/\r$/, '')}`));
        // Compared as one string: a failure shows where, not a 16 KiB line per element.
        expect(emitted.length).toBe(expected.length);
        expect(emitted.findIndex((line, i) => line !== expected[i])).toBe(-1);
      }),
      { numRuns: 200 },
    );
  });
});
