import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorInWords } from './errno-words.js';

/**
 * The temporary file a write of `path` uses: hidden, beside it (a rename must not cross
 * file systems), named by the writing pid so a later start can tell a dead writer's
 * leftovers, and by random bytes so nobody can plant anything at the name beforehand.
 */
export function tempFileName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
}

/** Replaces `path` with `content` so a reader (or a crash) sees the old file or the new one, never a mix. */
export async function writeFileAtomic(path: string, content: string | readonly Uint8Array[]): Promise<{ ok: true } | { ok: false; message: string }> {
  const temp = tempFileName(path);
  let created = false;
  try {
    // `wx` is O_CREAT|O_EXCL: it never opens what is already there, a symlink included,
    // so a shared directory cannot turn the write onto another file.
    const handle = await open(temp, 'wx', 0o600);
    created = true;
    try {
      await writeAll(handle, typeof content === 'string' ? [Buffer.from(content)] : content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    await syncDirectory(dirname(path));
    return { ok: true };
  } catch (error) {
    // Removing a name we did not create could remove someone else's file. One we cannot
    // remove is a stale temporary file, cleaned at the next start.
    if (created) await rm(temp, { force: true }).catch(() => undefined);
    return { ok: false, message: errorInWords(error) };
  }
}

// Pieces go out in writev calls without first being copied into one buffer. A short
// write (a disk filling up) is followed by a write of the rest, which then fails with
// the reason (ENOSPC) instead of a byte count.
async function writeAll(handle: FileHandle, pieces: readonly Uint8Array[]): Promise<void> {
  let rest = pieces.filter((piece) => piece.length > 0);
  while (rest.length > 0) {
    let { bytesWritten } = await handle.writev(rest);
    if (bytesWritten === 0) throw new Error('the write made no progress');
    let first = 0;
    while (first < rest.length && bytesWritten >= rest[first]!.length) bytesWritten -= rest[first++]!.length;
    rest = rest.slice(first);
    if (bytesWritten > 0) rest[0] = rest[0]!.subarray(bytesWritten);
  }
}

// The rename is durable only once the directory entry is on disk too.
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
