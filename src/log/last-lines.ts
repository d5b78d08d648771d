import { open, type FileHandle } from 'node:fs/promises';
import { errorMessage } from '../format/error-message.js';

/** Bytes read from the file at a time, walking back from its end. */
export const TAIL_CHUNK_BYTES = 64 * 1024;
/** A longer line comes back as its first this many bytes, marked truncated: memory stays bounded. */
export const TAIL_MAX_LINE_BYTES = 8 * 1024 * 1024;

/** One line as `lastLines` found it. */
export interface TailLine {
  text: string;
  truncated: boolean;
}

export interface TailOptions {
  file: string;
  /** At most this many matching lines, the last ones. */
  n: number;
  /** Which lines count; all when absent. */
  matches?: (line: string) => boolean;
  /** Stops the walk back at the first line (from the end) for which this holds, e.g. one older than `--since`. */
  stopAt?: (line: string) => boolean;
  chunkBytes?: number;
  maxLineBytes?: number;
}

export type TailResult = { ok: true; lines: TailLine[]; bytesRead: number } | { ok: false; message: string };

/**
 * The last `n` matching lines of a file, oldest first, read from the end in chunks:
 * memory is the lines kept plus one chunk and one partial line, whatever the file's size.
 * CRLF endings lose their CR; a last line without a newline counts. Never throws.
 */
export async function lastLines(options: TailOptions): Promise<TailResult> {
  let handle;
  try {
    handle = await open(options.file, 'r');
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  }
  try {
    return await walkBack(handle, options);
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function walkBack(handle: FileHandle, options: TailOptions): Promise<TailResult> {
  const chunkBytes = options.chunkBytes ?? TAIL_CHUNK_BYTES;
  const line = lineCollector(options);
  let bytesRead = 0;
  let position = (await handle.stat()).size;
  let atEnd = true;
  const buffer = Buffer.alloc(chunkBytes);
  while (position > 0 && !line.done()) {
    const size = Math.min(chunkBytes, position);
    position -= size;
    const { bytesRead: got } = await handle.read(buffer, 0, size, position);
    bytesRead += got;
    const chunk = buffer.subarray(0, got);
    let end = got;
    for (let i = got - 1; i >= 0 && !line.done(); i -= 1) {
      if (chunk[i] !== 0x0a) continue;
      // The newline that ends the file ends no line of its own.
      if (!(atEnd && line.empty() && i === got - 1)) line.end(chunk.subarray(i + 1, end));
      end = i;
    }
    atEnd = false;
    if (!line.done()) line.add(chunk.subarray(0, end));
  }
  if (!line.done() && position === 0) line.end(Buffer.alloc(0));
  return { ok: true, lines: line.found().reverse(), bytesRead };
}

// The line being put together back to front, and the matching lines found so far (newest first).
function lineCollector(options: TailOptions): { add(piece: Buffer): void; end(first: Buffer): void; empty(): boolean; done(): boolean; found(): TailLine[] } {
  const maxLineBytes = options.maxLineBytes ?? TAIL_MAX_LINE_BYTES;
  const found: TailLine[] = [];
  let state = { pieces: [] as Buffer[], pieceBytes: 0, cut: false };
  let done = options.n <= 0;
  const add = (piece: Buffer): void => {
    state = addPiece(state, piece, maxLineBytes);
  };
  return {
    add,
    end(first) {
      add(first);
      const line = lineText(state.pieces, state.cut);
      state = { pieces: [], pieceBytes: 0, cut: false };
      if (line === null) return;
      if (options.stopAt?.(line.text)) done = true;
      else if (!options.matches || options.matches(line.text)) {
        found.push(line);
        if (found.length >= options.n) done = true;
      }
    },
    empty: () => state.pieceBytes === 0,
    done: () => done,
    found: () => found,
  };
}

// Walking back, each piece is earlier in the line than the ones held; over the bound, the line's end is what goes.
function addPiece(state: Piece, piece: Buffer, maxLineBytes: number): Piece {
  if (piece.length === 0) return state;
  const pieces = [Buffer.from(piece), ...state.pieces];
  let pieceBytes = state.pieceBytes + piece.length;
  let cut = state.cut;
  while (pieceBytes > maxLineBytes) {
    const last = pieces[pieces.length - 1]!;
    const over = pieceBytes - maxLineBytes;
    cut = true;
    if (last.length <= over) {
      pieces.pop();
      pieceBytes -= last.length;
    } else {
      pieces[pieces.length - 1] = last.subarray(0, last.length - over);
      pieceBytes -= over;
    }
  }
  return { pieces, pieceBytes, cut };
}

interface Piece {
  pieces: Buffer[];
  pieceBytes: number;
  cut: boolean;
}

function lineText(pieces: Buffer[], cut: boolean): TailLine | null {
  let text = Buffer.concat(pieces).toString('utf8');
  if (!cut && text.endsWith('\r')) text = text.slice(0, -1);
  // Blank lines carry nothing to show, and a NUL run is the hole a sparse or preallocated file leaves.
  if (text.trim() === '' || /^\0+$/.test(text)) return null;
  return { text, truncated: cut };
}
