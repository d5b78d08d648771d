import { appendFile, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastLines } from '../../../src/log/last-lines.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jobd-tail-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, content: string | Buffer): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

async function texts(file: string, n: number, extra: { chunkBytes?: number; maxLineBytes?: number; matches?: (l: string) => boolean } = {}): Promise<string[]> {
  const result = await lastLines({ file, n, ...extra });
  if (!result.ok) throw new Error(result.message);
  return result.lines.map((line) => line.text);
}

// What the reader must agree with: split the whole text (fine for small files).
function reference(content: string, n: number): string[] {
  const lines = content.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line)).filter((line) => line.trim() !== '');
  return n <= 0 ? [] : lines.slice(-n);
}

describe('lastLines: the last n lines of a file, read from its end (issue 14)', () => {
  it('issue 14: lines split across chunk borders, CRLF endings and a last line without a newline come back whole', async () => {
    const content = 'alpha\r\nbravo-bravo\r\ncharlie\n\ndelta-delta-delta\necho';
    const file = await fileWith('mixed.log', content);
    for (const chunkBytes of [1, 2, 3, 5, 7, 64, 65_536]) {
      expect(await texts(file, 3, { chunkBytes }), `chunk ${chunkBytes}`).toEqual(['charlie', 'delta-delta-delta', 'echo']);
      expect(await texts(file, 100, { chunkBytes }), `chunk ${chunkBytes}`).toEqual(reference(content, 100));
    }
    expect(await texts(file, 0)).toEqual([]);
  });

  it('issue 14: only matching lines count toward n, and the walk stops where stopAt says', async () => {
    const content = Array.from({ length: 500 }, (_, i) => `${i} ${i % 7 === 0 ? 'seven' : 'other'}`).join('\n');
    const file = await fileWith('match.log', `${content}\n`);
    expect(await texts(file, 2, { matches: (line) => line.endsWith('seven'), chunkBytes: 100 })).toEqual(['490 seven', '497 seven']);
    const stopped = await lastLines({ file, n: 1000, stopAt: (line) => Number(line.split(' ')[0]) < 495 });
    expect(stopped.ok && stopped.lines.map((l) => l.text)).toEqual(['495 other', '496 other', '497 seven', '498 other', '499 other']);
  });

  it('issue 14: a 5 MB single line comes back whole; over the line bound it comes back as its start, marked truncated', async () => {
    const long = 'x'.repeat(5 * 1024 * 1024 - 3) + 'END';
    const file = await fileWith('long.log', `before\n${long}\nafter\n`);
    expect(await texts(file, 3)).toEqual(['before', long, 'after']);
    const cut = await lastLines({ file, n: 2, maxLineBytes: 1024 * 1024 });
    expect(cut.ok).toBe(true);
    if (!cut.ok) return;
    expect(cut.lines[0]).toEqual({ text: 'x'.repeat(1024 * 1024), truncated: true });
    expect(cut.lines[1]).toEqual({ text: 'after', truncated: false });
  });

  it('issue 14: the last 50 lines of a 200 MB file are found reading a few chunks, with memory bounded', async () => {
    const file = join(dir, 'big.log');
    // Sparse: 200 MB of hole (NUL bytes, skipped as no line), then real lines at the end.
    const handle = await open(file, 'w');
    await handle.truncate(200 * 1024 * 1024);
    await handle.close();
    const lines = Array.from({ length: 2_000 }, (_, i) => JSON.stringify({ level: 'info', event: 'run.output', line: `line ${i}` }));
    await appendFile(file, `\n${lines.join('\n')}\n`);
    const before = process.memoryUsage().rss;
    const result = await lastLines({ file, n: 50 });
    const grown = process.memoryUsage().rss - before;
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.lines.map((l) => l.text)).toEqual(lines.slice(-50));
    expect(result.bytesRead).toBeLessThanOrEqual(4 * 65_536);
    expect(grown).toBeLessThan(50 * 1024 * 1024);
  }, 30_000);

  it('issue 14: a missing file is a value naming the problem, not a throw', async () => {
    const result = await lastLines({ file: join(dir, 'nope.log'), n: 5 });
    expect(result).toEqual({ ok: false, message: expect.stringContaining('ENOENT') });
  });

  it('issue 14: property: for any text and chunk size it never throws and agrees with splitting the whole file', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('\n', '\r\n', '\r', '')), { maxLength: 40 }).map((parts) => parts.join('')),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 30 }),
        async (content, chunkBytes, n) => {
          round += 1;
          const file = await fileWith(`prop-${round}.log`, content);
          const started = Date.now();
          expect(await texts(file, n, { chunkBytes })).toEqual(reference(content.replace(/\0/g, ''), n).filter((l) => !/^\0+$/.test(l)));
          expect(Date.now() - started).toBeLessThan(2_000);
        },
      ),
      { numRuns: 150 },
    );
  });
});
