/** Longest line emitted; the rest of a longer line is dropped and the line marked truncated, so a line without end cannot grow memory. */
export const MAX_LINE_BYTES = 16 * 1024;

/** Lines one stream may still emit, and how many it could not; shared by the streams of a run. */
export interface LineBudget {
  left: number;
  dropped: number;
}

export type EmitLine = (line: Buffer, truncated: boolean) => void;

/** Splits one stream's bytes into lines of at most `maxLineBytes`, holding at most that much between chunks. */
export interface LineSplitter {
  /** Emits the lines `chunk` ends while the budget lasts, and counts the rest as dropped. */
  write(chunk: Buffer, budget: LineBudget, emit: EmitLine): void;
  /** Emits (or counts) the last line when it has no newline. */
  end(budget: LineBudget, emit: EmitLine): void;
}

/** A splitter for one stream; a longer line is cut to its first `maxLineBytes` (MAX_LINE_BYTES for run output). */
export function createLineSplitter(maxLineBytes = MAX_LINE_BYTES): LineSplitter {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // The current line was already cut: its head is out (or counted), the rest is skipped up to its newline.
  let skipping = false;

  const takePending = (piece: Buffer): Buffer => {
    const line = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece], pendingBytes + piece.length);
    pending = [];
    pendingBytes = 0;
    return line;
  };
  const endLine = (piece: Buffer, budget: LineBudget, emit: EmitLine): void => {
    if (skipping) {
      skipping = false;
      return;
    }
    let line = takePending(piece);
    if (line.length > maxLineBytes) return give(headOf(line, maxLineBytes), true, budget, emit);
    if (line.at(-1) === 0x0d) line = line.subarray(0, -1);
    give(line, false, budget, emit);
  };
  const hold = (bytes: Buffer, budget: LineBudget, emit: EmitLine): void => {
    if (skipping || bytes.length === 0) return;
    if (pendingBytes + bytes.length <= maxLineBytes) {
      // A copy, so a small rest does not keep its whole chunk alive.
      pending.push(Buffer.from(bytes));
      pendingBytes += bytes.length;
      return;
    }
    give(headOf(takePending(bytes), maxLineBytes), true, budget, emit);
    skipping = true;
  };

  return {
    write(chunk, budget, emit) {
      let start = 0;
      for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
        if (budget.left === 0) {
          // Out of budget: the rest of the chunk's lines are only counted, without making them.
          start = countRest(chunk, start, budget);
          break;
        }
        endLine(chunk.subarray(start, newline), budget, emit);
        start = newline + 1;
      }
      hold(chunk.subarray(start), budget, emit);
    },
    end(budget, emit) {
      if (pendingBytes > 0) endLine(Buffer.alloc(0), budget, emit);
      skipping = false;
    },
  };

  /** Counts the lines ended from `start` on as dropped; returns where the unended rest begins. */
  function countRest(chunk: Buffer, start: number, budget: LineBudget): number {
    let lines = 0;
    for (let i = start; i < chunk.length; i += 1) if (chunk[i] === 0x0a) lines += 1;
    if (lines === 0) return start;
    // The first newline ends the line in progress, which was already counted if it was cut.
    if (skipping) lines -= 1;
    skipping = false;
    pending = [];
    pendingBytes = 0;
    budget.dropped += lines;
    return chunk.lastIndexOf(0x0a) + 1;
  }
}

function give(line: Buffer, truncated: boolean, budget: LineBudget, emit: EmitLine): void {
  if (budget.left > 0) {
    budget.left -= 1;
    emit(line, truncated);
  } else {
    budget.dropped += 1;
  }
}

/** The first `max` bytes of a line, or a little less, so as to end between characters. */
function headOf(line: Buffer, max: number): Buffer {
  for (let cut = max; cut >= max - 3; cut -= 1) {
    if (((line[cut] ?? 0) & 0xc0) !== 0x80) return line.subarray(0, cut);
  }
  return line.subarray(0, max);
}
