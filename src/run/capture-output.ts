import type { OutputLine } from '../types.js';

/** Longest piece of a line emitted at once, so a command that never prints a newline cannot grow memory. */
export const MAX_LINE_BYTES = 64 * 1024;

type StreamName = OutputLine['stream'];

/** Line splitting and tail keeping for both output streams of one run. */
export interface OutputCapture {
  write(stream: StreamName, chunk: Buffer): void;
  /** Emits the last unterminated line of each stream; later writes are ignored. */
  end(): void;
  /** The last `maxBytes` bytes of each stream, starting on a whole character. */
  tails(): { stdout: string; stderr: string };
}

interface StreamState {
  /** Bytes of the current line, not yet ended by a newline. */
  pending: Buffer[];
  pendingBytes: number;
  /** The last emission was a piece of a long line: a newline right after it ends that line, not an empty one. */
  cut: boolean;
  tail: Buffer[];
  tailBytes: number;
  /** Bytes were dropped from the front of the tail, so it may start inside a character. */
  truncated: boolean;
}

/** Splits output into lines for `onLine` and keeps the last `maxBytes` bytes of each stream. */
export function createOutputCapture(input: { maxBytes: number; onLine: (output: OutputLine) => void }): OutputCapture {
  const maxBytes = Math.max(0, input.maxBytes);
  const states: Record<StreamName, StreamState> = { stdout: newState(), stderr: newState() };
  let ended = false;
  const emitter = (stream: StreamName) => (bytes: Buffer) => input.onLine({ stream, line: bytes.toString('utf8') });
  const emit = { stdout: emitter('stdout'), stderr: emitter('stderr') };
  return {
    write(stream, chunk) {
      if (ended || chunk.length === 0) return;
      keepTail(states[stream], chunk, maxBytes);
      splitLines(states[stream], chunk, emit[stream]);
    },
    end() {
      if (ended) return;
      ended = true;
      for (const stream of ['stdout', 'stderr'] as const) {
        if (states[stream].pendingBytes > 0) endLine(states[stream], emit[stream]);
      }
    },
    tails: () => ({ stdout: tailText(states.stdout, maxBytes), stderr: tailText(states.stderr, maxBytes) }),
  };
}

function newState(): StreamState {
  return { pending: [], pendingBytes: 0, cut: false, tail: [], tailBytes: 0, truncated: false };
}

function splitLines(state: StreamState, chunk: Buffer, emit: (bytes: Buffer) => void): void {
  let start = 0;
  // 0x0a never occurs inside a multi-byte UTF-8 sequence, so splitting raw bytes on it is safe.
  for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
    addPending(state, chunk.subarray(start, newline));
    endLine(state, emit);
    start = newline + 1;
  }
  addPending(state, chunk.subarray(start));
  if (state.pendingBytes > MAX_LINE_BYTES) emitPieces(state, emit);
}

function addPending(state: StreamState, bytes: Buffer): void {
  if (bytes.length === 0) return;
  state.pending.push(bytes);
  state.pendingBytes += bytes.length;
}

function endLine(state: StreamState, emit: (bytes: Buffer) => void): void {
  let line = takePending(state);
  if (line.at(-1) === 0x0d) line = line.subarray(0, -1);
  line = cutPieces(line, state, emit);
  if (line.length > 0 || !state.cut) emit(line);
  state.cut = false;
}

function emitPieces(state: StreamState, emit: (bytes: Buffer) => void): void {
  addPending(state, cutPieces(takePending(state), state, emit));
}

/** Emits whole pieces of MAX_LINE_BYTES (or a little less, to end on a character) and returns the rest. */
function cutPieces(bytes: Buffer, state: StreamState, emit: (bytes: Buffer) => void): Buffer {
  let rest = bytes;
  while (rest.length > MAX_LINE_BYTES) {
    const cut = characterStart(rest, MAX_LINE_BYTES, MAX_LINE_BYTES - 3) ?? MAX_LINE_BYTES;
    emit(rest.subarray(0, cut));
    state.cut = true;
    rest = rest.subarray(cut);
  }
  return rest;
}

function takePending(state: StreamState): Buffer {
  const bytes = state.pending.length === 1 ? state.pending[0]! : Buffer.concat(state.pending, state.pendingBytes);
  state.pending = [];
  state.pendingBytes = 0;
  return bytes;
}

/** Searching back from `from` to `min`, the first offset that is not inside a multi-byte character. */
function characterStart(bytes: Buffer, from: number, min: number): number | null {
  for (let offset = from; offset >= min; offset -= 1) {
    if (((bytes[offset] ?? 0) & 0xc0) !== 0x80) return offset;
  }
  return null;
}

function keepTail(state: StreamState, chunk: Buffer, maxBytes: number): void {
  if (maxBytes === 0) return;
  // A copy, so a huge chunk's buffer is not kept alive by a small view of it.
  const kept = chunk.length > maxBytes ? Buffer.from(chunk.subarray(chunk.length - maxBytes)) : chunk;
  if (kept !== chunk) state.truncated = true;
  state.tail.push(kept);
  state.tailBytes += kept.length;
  while (state.tail.length > 1 && state.tailBytes - state.tail[0]!.length >= maxBytes) {
    state.tailBytes -= state.tail.shift()!.length;
    state.truncated = true;
  }
}

function tailText(state: StreamState, maxBytes: number): string {
  const bytes = Buffer.concat(state.tail, state.tailBytes);
  const from = Math.max(0, bytes.length - maxBytes);
  const start = state.truncated || from > 0 ? skipContinuation(bytes, from) : 0;
  return bytes.subarray(start).toString('utf8');
}

/** Skips at most three continuation bytes: the rest of a character whose first byte was cut away. */
function skipContinuation(bytes: Buffer, from: number): number {
  let offset = from;
  while (offset < bytes.length && offset < from + 3 && ((bytes[offset] ?? 0) & 0xc0) === 0x80) offset += 1;
  return offset;
}
