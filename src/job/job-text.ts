import { isUtf8 } from 'node:buffer';

/** The text of a job file's bytes, or why they are not UTF-8 text. */
export type JobText = { ok: true; text: string } | { ok: false; message: string };

const SAVE_AS = 'save it as UTF-8';

/**
 * Decodes a job file as UTF-8 (a BOM is kept for the parser to skip). Bytes
 * that are not UTF-8 are refused instead of being replaced by "�": a command
 * silently altered is worse than a file refused.
 */
export function decodeJobBytes(bytes: Buffer): JobText {
  if (looksLikeUtf16(bytes)) return { ok: false, message: `the file is encoded as UTF-16, which is not supported; ${SAVE_AS}` };
  if (isUtf8(bytes)) return { ok: true, text: bytes.toString('utf8') };
  const at = firstInvalidByte(bytes);
  const { line, column } = placeOf(bytes, at);
  const byte = (bytes[at] ?? 0).toString(16).padStart(2, '0');
  return { ok: false, message: `the file is not valid UTF-8 (byte 0x${byte} at line ${line} column ${column}); ${SAVE_AS}` };
}

// A BOM says so; without one, JSON text starts with an ASCII character, which UTF-16 pairs with a zero byte.
function looksLikeUtf16(bytes: Buffer): boolean {
  const [first, second] = [bytes[0], bytes[1]];
  if (first === undefined || second === undefined) return false;
  if ((first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff)) return true;
  return (first === 0) !== (second === 0);
}

// The shortest prefix that does not decode (an unfinished last character is not yet wrong) ends at the
// byte where decoding broke; when that byte cut a character short, the culprit is where the character began.
function firstInvalidByte(bytes: Buffer): number {
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (decodes(bytes.subarray(0, middle), true)) good = middle;
    else bad = middle;
  }
  let at = bad - 1;
  if (decodes(bytes.subarray(0, at), false)) return at;
  while (at > 0 && ((bytes[at - 1] ?? 0) & 0xc0) === 0x80) at -= 1;
  return at - 1;
}

function decodes(bytes: Uint8Array, unfinishedEnd: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: unfinishedEnd });
    return true;
  } catch {
    // fatal: true throws exactly when the bytes hold one that no UTF-8 text can hold there.
    return false;
  }
}

function placeOf(bytes: Buffer, index: number): { line: number; column: number } {
  const lineStart = bytes.lastIndexOf(0x0a, index - 1) + 1;
  const line = bytes.subarray(0, lineStart).filter((byte) => byte === 0x0a).length + 1;
  return { line, column: bytes.subarray(lineStart, index).toString('utf8').length + 1 };
}
