import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Two writes in the same millisecond must not share a temporary file.
let sequence = 0;

/** Replaces `path` with `content` so a reader (or a crash) sees the old file or the new one, never a mix. */
export async function writeFileAtomic(path: string, content: string | readonly Uint8Array[]): Promise<{ ok: true } | { ok: false; message: string }> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++sequence}.tmp`);
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      if (typeof content === 'string') await handle.writeFile(content);
      else await writeAll(handle, content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    await syncDirectory(dirname(path));
    return { ok: true };
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    return { ok: false, message: (error as Error).message };
  }
}

// Pieces go out in one writev, without first being copied into one buffer. The kernel may
// take less than all of them only when something is wrong (a full disk), so a short write is a failure.
async function writeAll(handle: FileHandle, pieces: readonly Uint8Array[]): Promise<void> {
  const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const { bytesWritten } = await handle.writev(pieces);
  if (bytesWritten !== total) throw new Error(`wrote ${bytesWritten} of ${total} bytes`);
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
