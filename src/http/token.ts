import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Longest token file read; a token is a line, not a document. */
const MAX_TOKEN_FILE_BYTES = 4096;
const MIN_TOKEN_CHARS = 16;

/** Reads the bearer token from `--http-token-file`: the file must be a regular file of mode 0600 (or stricter). */
export async function readTokenFile(file: string): Promise<{ ok: true; token: string } | { ok: false; message: string }> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    return { ok: false, message: `${file}: --http-token-file cannot be read: ${(error as Error).message}` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, message: `${file}: --http-token-file must be a regular file` };
    const mode = info.mode & 0o777;
    if ((mode & 0o077) !== 0) {
      return { ok: false, message: `${file}: --http-token-file has mode ${mode.toString(8).padStart(4, '0')}; expected 0600 (run: chmod 600 ${file})` };
    }
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(MAX_TOKEN_FILE_BYTES + 1), 0, MAX_TOKEN_FILE_BYTES + 1, 0);
    if (bytesRead > MAX_TOKEN_FILE_BYTES) return { ok: false, message: `${file}: --http-token-file is over ${MAX_TOKEN_FILE_BYTES} bytes; expected one line` };
    const token = buffer.subarray(0, bytesRead).toString('utf8').trim();
    if (token.length < MIN_TOKEN_CHARS || /\s/.test(token)) {
      return { ok: false, message: `${file}: --http-token-file must hold one token of at least ${MIN_TOKEN_CHARS} characters, no spaces` };
    }
    return { ok: true, token };
  } finally {
    await handle.close();
  }
}

/** Whether `given` is `secret`, in time that does not depend on where they differ (both are hashed to one length first). */
export function sameSecret(given: string, secret: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

/** A fresh per-daemon secret for the CSRF check. */
export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}
