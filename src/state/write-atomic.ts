import { randomBytes } from 'node:crypto';
import { closeSync, fsync, openSync, renameSync, rmSync, writevSync } from 'node:fs';
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

/**
 * Replaces `path` with `content` so a reader (or a crash) sees the old file or the new one,
 * never a mix. Opening, writing and renaming are synchronous, one after the other: under
 * load every asynchronous step would wait behind a turn of the event loop full of spawns
 * (a save of 200 jobs took 1.8 s with eight of them), and the bound on what kill -9 loses
 * is the save's duration. The two fsyncs are the exception: they wait for the disk, which
 * took 3 ms of every save off the timers' thread, so they wait on libuv's thread pool and
 * cost the save two turns of the loop instead.
 */
export async function writeFileAtomic(path: string, content: string | readonly Uint8Array[]): Promise<{ ok: true } | { ok: false; message: string }> {
  const temp = tempFileName(path);
  let created = false;
  try {
    // `wx` is O_CREAT|O_EXCL: it never opens what is already there, a symlink included,
    // so a shared directory cannot turn the write onto another file.
    const fd = openSync(temp, 'wx', 0o600);
    created = true;
    try {
      writeAll(fd, typeof content === 'string' ? [Buffer.from(content)] : content);
      await fsyncOnPool(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    await syncDirectory(dirname(path));
    return { ok: true };
  } catch (error) {
    // Removing a name we did not create could remove someone else's file.
    if (created) removeQuietly(temp);
    return { ok: false, message: errorInWords(error) };
  }
}

// Pieces go out in writev calls without first being copied into one buffer. A short
// write (a disk filling up) is followed by a write of the rest, which then fails with
// the reason (ENOSPC) instead of a byte count.
function writeAll(fd: number, pieces: readonly Uint8Array[]): void {
  let rest = pieces.filter((piece) => piece.length > 0);
  while (rest.length > 0) {
    let written = writevSync(fd, rest.slice(0, IOV_MAX));
    if (written === 0) throw new Error('the write made no progress');
    let first = 0;
    while (first < rest.length && written >= rest[first]!.length) written -= rest[first++]!.length;
    rest = rest.slice(first);
    if (written > 0) rest[0] = rest[0]!.subarray(written);
  }
}

function removeQuietly(temp: string): void {
  try {
    rmSync(temp, { force: true });
  } catch {
    // Left behind, it is a stale temporary file, removed at the next start.
  }
}

/** Pieces per writev: the kernel takes at most 1024 at a time. */
const IOV_MAX = 1024;

// The rename is durable only once the directory entry is on disk too.
async function syncDirectory(dir: string): Promise<void> {
  const fd = openSync(dir, 'r');
  try {
    await fsyncOnPool(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncOnPool(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
}
