import { basename } from 'node:path';

// Editors and atomic writers leave these beside the real file; none is a job.
const LEFTOVER = [/\.swp$/, /\.swx$/, /~$/, /^\.#/, /\.tmp$/, /\.bak$/];

/** Whether a path names a job file: `*.json`, not hidden, not an editor leftover. */
export function isJobFileName(path: string): boolean {
  const name = basename(path);
  if (name.startsWith('.') || !name.endsWith('.json') || name === '.json') return false;
  return !LEFTOVER.some((pattern) => pattern.test(name));
}
