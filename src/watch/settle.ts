import { statSync } from 'node:fs';

/**
 * How long a file's size and times must hold still before it counts as written: long
 * enough for a writer between two chunks, well under the 250 ms reload budget of SPEC §5.
 */
export const SETTLE_MS = 120;
const POLL_MS = 20;

/**
 * What a regular file looked like (any write, truncation, chmod or rename-over changes
 * it), or null when there is none at `path`. Synchronous: through the thread pool, the
 * stat would queue behind the watcher's stat of every file in the directory that
 * follows each directory event.
 */
export function fileFingerprint(file: string): string | null {
  try {
    const s = statSync(file);
    if (!s.isFile()) return null;
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return null;
  }
}

/** A file being watched until it holds still. */
export interface Settling {
  cancel(): void;
}

/**
 * Calls `onSettled` with the file's fingerprint once it has not changed for SETTLE_MS,
 * polled every POLL_MS. The timer does not keep the process alive.
 */
export function whenSettled(file: string, onSettled: (fingerprint: string | null) => void): Settling {
  let last = fileFingerprint(file);
  let stillSince = Date.now();
  const timer = setInterval(() => {
    const now = fileFingerprint(file);
    if (now !== last) {
      last = now;
      stillSince = Date.now();
      return;
    }
    if (Date.now() - stillSince < SETTLE_MS) return;
    clearInterval(timer);
    onSettled(now);
  }, POLL_MS);
  timer.unref();
  return { cancel: () => clearInterval(timer) };
}
