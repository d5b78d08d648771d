import { describe, expect, it } from 'vitest';
import { batchedStream } from '../../../src/log/batched-stream.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('batchedStream', () => {
  it('writes the lines of one turn of the event loop as one write, in order', async () => {
    const writes: string[] = [];
    const stream = batchedStream({ write: (text: string) => writes.push(text) });
    stream.write('a\n');
    stream.write('b\n');
    stream.write('c\n');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n']);
    stream.write('d\n');
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('flush writes what is gathered at once, and nothing when nothing is', async () => {
    const writes: string[] = [];
    const stream = batchedStream({ write: (text: string) => writes.push(text) });
    stream.flush();
    expect(writes).toEqual([]);
    stream.write('now\n');
    stream.flush();
    expect(writes).toEqual(['now\n']);
    await nextTurn();
    expect(writes).toEqual(['now\n']);
  });
});
