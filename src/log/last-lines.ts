import { open } from 'node:fs/promises';

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
  const chunkBytes = options.chunkBytes ?? TAIL_CHUNK_BYTES;
  const maxLineBytes = options.maxLineBytes ?? TAIL_MAX_LINE_BYTES;
  let handle;
  try {
    handle = await open(options.file, 'r');
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  try {
    const found: TailLine[] = [];
    // The line being assembled, as chunks read back to front: pieces[0] is its latest-read (earliest) part.
    let pieces: Buffer[] = [];
    let pieceBytes = 0;
    let cut = false;
    let bytesRead = 0;
    let done = options.n <= 0;
    const take = (): void => {
      const line = lineText(pieces, cut);
      pieces = [];
      pieceBytes = 0;
      cut = false;
      if (line === null) return;
      if (options.stopAt?.(line.text)) done = true;
      else if (!options.matches || options.matches(line.text)) {
        found.push(line);
        if (found.length >= options.n) done = true;
      }
    };
    let position = (await handle.stat()).size;
    let atEnd = true;
    const buffer = Buffer.alloc(chunkBytes);
    while (position > 0 && !done) {
      const size = Math.min(chunkBytes, position);
      position -= size;
      const { bytesRead: got } = await handle.read(buffer, 0, size, position);
      bytesRead += got;
      const chunk = buffer.subarray(0, got);
      let end = got;
      for (let i = got - 1; i >= 0 && !done; i -= 1) {
        if (chunk[i] !== 0x0a) continue;
        // The newline that ends the file ends no line of its own.
        if (!(atEnd && pieceBytes === 0 && i === got - 1)) {
          ({ pieceBytes, cut } = addPiece(pieces, chunk.subarray(i + 1, end), { pieceBytes, cut, maxLineBytes }));
          take();
        }
        end = i;
      }
      atEnd = false;
      if (!done) ({ pieceBytes, cut } = addPiece(pieces, chunk.subarray(0, end), { pieceBytes, cut, maxLineBytes }));
    }
    if (!done && position === 0) take();
    return { ok: true, lines: found.reverse(), bytesRead };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

// Walking back, each piece is earlier in the line than the ones held; over the bound, the line's end is what goes.
function addPiece(pieces: Buffer[], piece: Buffer, state: { pieceBytes: number; cut: boolean; maxLineBytes: number }): { pieceBytes: number; cut: boolean } {
  if (piece.length === 0) return state;
  pieces.unshift(Buffer.from(piece));
  let { pieceBytes, cut } = state;
  pieceBytes += piece.length;
  while (pieceBytes > state.maxLineBytes) {
    const last = pieces[pieces.length - 1]!;
    const over = pieceBytes - state.maxLineBytes;
    cut = true;
    if (last.length <= over) {
      pieces.pop();
      pieceBytes -= last.length;
    } else {
      pieces[pieces.length - 1] = last.subarray(0, last.length - over);
      pieceBytes -= over;
    }
  }
  return { pieceBytes, cut };
}

function lineText(pieces: Buffer[], cut: boolean): TailLine | null {
  let text = Buffer.concat(pieces).toString('utf8');
  if (!cut && text.endsWith('\r')) text = text.slice(0, -1);
  // Blank lines carry nothing to show, and a NUL run is the hole a sparse or preallocated file leaves.
  if (text.trim() === '' || /^\0+$/.test(text)) return null;
  return { text, truncated: cut };
}
