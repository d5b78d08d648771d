import type { OutputLine } from '../types.js';
import { createLineSplitter, type EmitLine, type LineBudget } from './split-lines.js';

export { MAX_LINE_BYTES } from './split-lines.js';

/**
 * Lines a run may log per second. A command printing tiny lines fast (`yes`) would
 * otherwise turn each 64 KiB read into 32,000 log lines, and the daemon's loop, timers
 * and memory with it; past the budget lines are only counted, never made.
 */
export const OUTPUT_LINES_PER_SECOND = 1_000;
const WINDOW_MS = 1_000;

type StreamName = OutputLine['stream'];

/** Lines dropped from the log since the last report, by stream. */
export type DroppedLines = Record<StreamName, number>;

/** Line splitting and tail keeping for both output streams of one run. */
export interface OutputCapture {
  write(stream: StreamName, chunk: Buffer): void;
  /** Emits the last unterminated line of each stream and reports what was dropped; later writes are ignored. */
  end(): void;
  /** The last `maxBytes` bytes of each stream, starting on a whole character. */
  tails(): { stdout: string; stderr: string };
}

interface Tail {
  chunks: Buffer[];
  bytes: number;
  /** Bytes were dropped from the front, so it may start inside a character. */
  truncated: boolean;
}

/**
 * Splits output into lines for `onLine`, at most `linesPerSecond` a second for the whole run;
 * lines past that go to `onDropped` as counts, once a second while dropping and at the end.
 * The tail of each stream (the last `maxBytes` bytes) is kept whole either way.
 */
export function createOutputCapture(input: {
  maxBytes: number;
  onLine: (output: OutputLine) => void;
  onDropped?: (dropped: DroppedLines) => void;
  linesPerSecond?: number;
}): OutputCapture {
  const maxBytes = Math.max(0, input.maxBytes);
  const perSecond = input.linesPerSecond ?? OUTPUT_LINES_PER_SECOND;
  const splitters = { stdout: createLineSplitter(), stderr: createLineSplitter() };
  const tails: Record<StreamName, Tail> = { stdout: newTail(), stderr: newTail() };
  const dropped: DroppedLines = { stdout: 0, stderr: 0 };
  const budget: LineBudget = { left: perSecond, dropped: 0 };
  let windowStart = performance.now();
  let reportTimer: NodeJS.Timeout | undefined;
  let ended = false;
  const emitter = (stream: StreamName): EmitLine => (bytes, truncated) =>
    input.onLine(truncated ? { stream, line: bytes.toString('utf8'), truncated } : { stream, line: bytes.toString('utf8') });
  const emit = { stdout: emitter('stdout'), stderr: emitter('stderr') };

  const report = (): void => {
    clearTimeout(reportTimer);
    reportTimer = undefined;
    if (dropped.stdout + dropped.stderr === 0) return;
    const counts = { ...dropped };
    dropped.stdout = 0;
    dropped.stderr = 0;
    input.onDropped?.(counts);
  };
  const split = (stream: StreamName, run: (budget: LineBudget, emit: EmitLine) => void): void => {
    const now = performance.now();
    if (now - windowStart >= WINDOW_MS) {
      windowStart = now;
      budget.left = perSecond;
    }
    const before = budget.dropped;
    run(budget, emit[stream]);
    dropped[stream] += budget.dropped - before;
    // The first drop of a window sets the report for its end, whether or not more output comes.
    if (budget.dropped > before && reportTimer === undefined) {
      reportTimer = setTimeout(report, Math.max(0, windowStart + WINDOW_MS - now));
      reportTimer.unref();
    }
  };
  return {
    write(stream, chunk) {
      if (ended || chunk.length === 0) return;
      keepTail(tails[stream], chunk, maxBytes);
      split(stream, (b, e) => splitters[stream].write(chunk, b, e));
    },
    end() {
      if (ended) return;
      ended = true;
      for (const stream of ['stdout', 'stderr'] as const) split(stream, (b, e) => splitters[stream].end(b, e));
      report();
    },
    tails: () => ({ stdout: tailText(tails.stdout, maxBytes), stderr: tailText(tails.stderr, maxBytes) }),
  };
}

function newTail(): Tail {
  return { chunks: [], bytes: 0, truncated: false };
}

function keepTail(tail: Tail, chunk: Buffer, maxBytes: number): void {
  if (maxBytes === 0) return;
  // A copy, so a huge chunk's buffer is not kept alive by a small view of it.
  const kept = chunk.length > maxBytes ? Buffer.from(chunk.subarray(chunk.length - maxBytes)) : chunk;
  if (kept !== chunk) tail.truncated = true;
  tail.chunks.push(kept);
  tail.bytes += kept.length;
  while (tail.chunks.length > 1 && tail.bytes - tail.chunks[0]!.length >= maxBytes) {
    tail.bytes -= tail.chunks.shift()!.length;
    tail.truncated = true;
  }
}

function tailText(tail: Tail, maxBytes: number): string {
  const bytes = Buffer.concat(tail.chunks, tail.bytes);
  const from = Math.max(0, bytes.length - maxBytes);
  const start = tail.truncated || from > 0 ? skipContinuation(bytes, from) : 0;
  return bytes.subarray(start).toString('utf8');
}

/** Skips at most three continuation bytes: the rest of a character whose first byte was cut away. */
function skipContinuation(bytes: Buffer, from: number): number {
  let offset = from;
  while (offset < bytes.length && offset < from + 3 && ((bytes[offset] ?? 0) & 0xc0) === 0x80) offset += 1;
  return offset;
}
