import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Two writes in the same millisecond must not share a temporary file.
let sequence = 0;

/** Replaces `path` with `text` so a reader (or a crash) sees the old file or the new one, never a mix. */
export async function writeFileAtomic(path: string, text: string): Promise<{ ok: true } | { ok: false; message: string }> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++sequence}.tmp`);
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text);
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

// The rename is durable only once the directory entry is on disk too.
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
