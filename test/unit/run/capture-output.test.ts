import { describe, expect, it } from 'vitest';
import { createOutputCapture, MAX_LINE_BYTES } from '../../../src/run/capture-output.js';
import type { OutputLine } from '../../../src/types.js';

function capture(maxBytes = 1_000) {
  const lines: OutputLine[] = [];
  const output = createOutputCapture({ maxBytes, onLine: (line) => lines.push(line) });
  return { output, lines, texts: () => lines.map((l) => l.line) };
}

describe('createOutputCapture lines', () => {
  it.each([
    ['one chunk, two lines', ['a\nb\n'], ['a', 'b']],
    ['CRLF endings', ['a\r\nb\r\n'], ['a', 'b']],
    ['a line split across chunks', ['hel', 'lo\nwor', 'ld\n'], ['hello', 'world']],
    ['CR and LF in different chunks', ['a\r', '\nb\n'], ['a', 'b']],
    ['empty lines kept', ['\n\nx\n'], ['', '', 'x']],
    ['a lone CR inside a line kept', ['50%\r100%\n'], ['50%\r100%']],
    ['final line without newline', ['a\nlast'], ['a', 'last']],
  ])('%s', (_name, chunks, expected) => {
    const { output, texts } = capture();
    for (const chunk of chunks) output.write('stdout', Buffer.from(chunk));
    output.end();
    expect(texts()).toEqual(expected);
  });

  it('joins a multi-byte character split between chunks', () => {
    const { output, texts } = capture();
    const bytes = Buffer.from('é€😀\n');
    for (let i = 0; i < bytes.length; i += 1) output.write('stdout', bytes.subarray(i, i + 1));
    expect(texts()).toEqual(['é€😀']);
  });

  it('keeps stdout and stderr apart and emits each line once, in order', () => {
    const { output, lines } = capture();
    output.write('stdout', Buffer.from('out 1\nout'));
    output.write('stderr', Buffer.from('err 1\n'));
    output.write('stdout', Buffer.from(' 2\n'));
    output.end();
    output.end();
    expect(lines).toEqual([
      { stream: 'stdout', line: 'out 1' },
      { stream: 'stderr', line: 'err 1' },
      { stream: 'stdout', line: 'out 2' },
    ]);
  });

  it('ignores writes after end', () => {
    const { output, texts } = capture();
    output.end();
    output.write('stdout', Buffer.from('late\n'));
    expect(texts()).toEqual([]);
  });

  it('issue 11.17: emits a line longer than 16 KiB once, cut and marked truncated, and goes on with the next line', () => {
    const { output, lines } = capture();
    const long = 'x'.repeat(MAX_LINE_BYTES * 2);
    for (let i = 0; i < long.length; i += 10_000) output.write('stdout', Buffer.from(long.slice(i, i + 10_000)));
    output.write('stdout', Buffer.from('\nnext\n'));
    expect(lines).toEqual([
      { stream: 'stdout', line: 'x'.repeat(MAX_LINE_BYTES), truncated: true },
      { stream: 'stdout', line: 'next' },
    ]);
  });

  it('cuts long lines between characters, never inside one', () => {
    const { output, texts } = capture();
    const long = '€'.repeat(MAX_LINE_BYTES);
    output.write('stdout', Buffer.from(`${long}\n`));
    expect(texts()).toHaveLength(1);
    expect(long.startsWith(texts()[0]!)).toBe(true);
    expect(Buffer.byteLength(texts()[0]!)).toBeGreaterThan(MAX_LINE_BYTES - 3);
    expect(texts()[0]).not.toContain('\uFFFD');
  });

  it('issue 11.17: holds no more than a line cap for a line that never ends', () => {
    const { output, lines } = capture();
    for (let i = 0; i < 100; i += 1) output.write('stdout', Buffer.alloc(10_000, 'y'));
    expect(lines).toEqual([{ stream: 'stdout', line: 'y'.repeat(MAX_LINE_BYTES), truncated: true }]);
    output.end();
    expect(lines).toHaveLength(1);
  });
});

describe('createOutputCapture budget', () => {
  it('issue 11.17: logs at most linesPerSecond lines, counts the rest per stream, and reports them at the end', () => {
    const lines: OutputLine[] = [];
    const dropped: Array<{ stdout: number; stderr: number }> = [];
    const output = createOutputCapture({ maxBytes: 100, onLine: (l) => lines.push(l), onDropped: (d) => dropped.push(d), linesPerSecond: 5 });
    output.write('stdout', Buffer.from('1\n2\n3\n'));
    output.write('stderr', Buffer.from('a\nb\nc\nd\n'));
    output.write('stdout', Buffer.from('4\n5\n6\nlast'));
    output.end();
    expect(lines.map((l) => `${l.stream}:${l.line}`)).toEqual(['stdout:1', 'stdout:2', 'stdout:3', 'stderr:a', 'stderr:b']);
    expect(dropped).toEqual([{ stdout: 4, stderr: 2 }]);
    expect(output.tails().stdout).toBe('1\n2\n3\n4\n5\n6\nlast');
  });

  it('counts a long line cut while out of budget once', () => {
    const dropped: Array<{ stdout: number; stderr: number }> = [];
    const output = createOutputCapture({ maxBytes: 0, onLine: () => {}, onDropped: (d) => dropped.push(d), linesPerSecond: 1 });
    output.write('stdout', Buffer.from('first\n'));
    output.write('stdout', Buffer.alloc(MAX_LINE_BYTES + 10, 'z'));
    output.write('stdout', Buffer.from('zz\nq\nr\n'));
    output.end();
    expect(dropped).toEqual([{ stdout: 3, stderr: 0 }]);
  });

  it('starts a new budget each second and reports drops without waiting for the end', async () => {
    const lines: OutputLine[] = [];
    const dropped: Array<{ stdout: number; stderr: number }> = [];
    const output = createOutputCapture({ maxBytes: 0, onLine: (l) => lines.push(l), onDropped: (d) => dropped.push(d), linesPerSecond: 2 });
    output.write('stdout', Buffer.from('1\n2\n3\n'));
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(dropped).toEqual([{ stdout: 1, stderr: 0 }]);
    output.write('stdout', Buffer.from('4\n5\n6\n'));
    output.end();
    expect(lines.map((l) => l.line)).toEqual(['1', '2', '4', '5']);
    expect(dropped).toEqual([{ stdout: 1, stderr: 0 }, { stdout: 1, stderr: 0 }]);
  });
});

describe('createOutputCapture tails', () => {
  it('keeps everything under maxBytes', () => {
    const { output } = capture(100);
    output.write('stdout', Buffer.from('a\nb\n'));
    output.write('stderr', Buffer.from('oops'));
    expect(output.tails()).toEqual({ stdout: 'a\nb\n', stderr: 'oops' });
  });

  it('keeps only the last maxBytes bytes of each stream', () => {
    const { output } = capture(10);
    for (let i = 0; i < 50; i += 1) output.write('stdout', Buffer.from(`line ${i}\n`));
    output.write('stdout', Buffer.from('0123456789ABCDEF'));
    expect(output.tails().stdout).toBe('6789ABCDEF');
    expect(output.tails().stderr).toBe('');
  });

  it('does not start with a broken character after a cut', () => {
    const { output } = capture(5);
    output.write('stdout', Buffer.from('€€€'));
    const tail = output.tails().stdout;
    expect(tail).toBe('€');
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(5);
  });

  it('cuts a single chunk larger than maxBytes', () => {
    const { output } = capture(4);
    output.write('stderr', Buffer.from('abcdefgh'));
    expect(output.tails().stderr).toBe('efgh');
  });

  it('keeps nothing with maxBytes 0', () => {
    const { output } = capture(0);
    output.write('stdout', Buffer.from('abc\n'));
    expect(output.tails()).toEqual({ stdout: '', stderr: '' });
  });
});
