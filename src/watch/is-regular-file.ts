import { statSync } from 'node:fs';

/**
 * Whether `path` is a regular file now (following symlinks). Synchronous: through the
 * thread pool, the check would queue behind the watcher's stat of every file in the
 * directory that follows each directory event.
 */
export function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
