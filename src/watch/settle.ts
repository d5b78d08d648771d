import { lstatSync, statSync } from 'node:fs';

/**
 * How long a file that reads as a valid job must hold still before it is read once
 * more, to catch a rewrite whose event never came: well under the 250 ms reload
 * budget of SPEC §5.
 */
export const SETTLE_MS = 120;

/**
 * How long a file that does not read as a valid job must hold still before its problem
 * is reported: long enough for a writer that pauses between chunks (a valid job is
 * taken at once, so only problems wait).
 */
export const PROBLEM_SETTLE_MS = 500;

const POLL_MS = 20;

/**
 * What the entry at `path` looked like (any write, truncation, chmod, rename-over or
 * retargeted symlink changes it), or null when there is none, or only a sub-directory
 * (never a job file, SPEC §2). FIFOs, devices, unreadable files and dangling or looping
 * symlinks are entries too: the loader reports why they are no job. Synchronous:
 * through the thread pool, the stat would queue behind the watcher's stat of every
 * file in the directory that follows each directory event.
 */
export function entryFingerprint(path: string): string | null {
  let link;
  try {
    link = lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? null : `unreadable:${code ?? 'error'}`;
  }
  if (link.isDirectory()) return null;
  const own = `${link.ino}:${link.mode}:${link.size}:${link.mtimeMs}:${link.ctimeMs}`;
  return link.isSymbolicLink() ? `${own}>${targetFingerprint(path)}` : own;
}

function targetFingerprint(path: string): string {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}:${s.mode}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch (error) {
    // A dangling or looping symlink: what it points at is the error.
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
}

/** A file being watched until it holds still. */
export interface Settling {
  cancel(): void;
}

/**
 * Calls `onSettled` with the entry's fingerprint once it has not changed for `stillMs`,
 * polled every POLL_MS. The timer does not keep the process alive.
 */
export function whenSettled(input: { file: string; stillMs: number; onSettled: (fingerprint: string | null) => void }): Settling {
  const { file, stillMs, onSettled } = input;
  let last = entryFingerprint(file);
  let stillSince = Date.now();
  const timer = setInterval(() => {
    const now = entryFingerprint(file);
    if (now !== last) {
      last = now;
      stillSince = Date.now();
      return;
    }
    if (Date.now() - stillSince < stillMs) return;
    clearInterval(timer);
    onSettled(now);
  }, POLL_MS);
  timer.unref();
  return { cancel: () => clearInterval(timer) };
}
