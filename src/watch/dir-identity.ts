import { lstatSync, realpathSync, statSync } from 'node:fs';

/** Which directory a path names now: its device and inode, and where it leads if it is a symlink. */
export type DirIdentity = { ok: true; key: string; link: string | null } | { ok: false; reason: string };

/** The directory at `dir` now, or why there is none to watch. */
export function dirIdentity(dir: string): DirIdentity {
  try {
    const entry = lstatSync(dir);
    const link = entry.isSymbolicLink() ? realpathSync(dir) : null;
    const target = link === null ? entry : statSync(dir);
    if (!target.isDirectory()) return { ok: false, reason: 'it is no longer a directory' };
    return { ok: true, key: `${target.dev}:${target.ino}`, link };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'the directory was removed or moved away' };
    return { ok: false, reason: `it cannot be looked up: ${(error as Error).message}` };
  }
}

/**
 * Why the directory now at the path is not the one being watched (`before`), or null when
 * it still is. `removed`: the watch saw the directory itself go, which a new directory
 * given the same inode (ext4 reuses them at once) would otherwise hide.
 */
export function lostReason(before: DirIdentity & { ok: true }, now: DirIdentity, removed: boolean): string | null {
  if (!now.ok) return now.reason;
  if (now.link !== null && now.link !== before.link) return `it was replaced by a symlink to ${now.link}`;
  if (now.key !== before.key) return 'it was replaced by another directory';
  return removed ? 'it was removed or moved, and a directory is there again' : null;
}
