import { dirname, resolve } from 'node:path';
import { watch } from 'chokidar';
import type { JobFileEvent } from '../types.js';
import { isJobFileName } from './job-file-name.js';
import { fileFingerprint } from './settle.js';

/** A running watcher on the jobs directory. */
export interface JobsDirWatcher {
  close(): Promise<void>;
}

/**
 * Watches `dir` (not its sub-directories) and reports job-file events once the watcher
 * is ready, as they happen: whether a file is whole is the loader's question (it reads
 * at once and again once the file holds still, see watch/settle.ts).
 */
export async function watchJobsDir(input: {
  dir: string;
  onEvent: (event: JobFileEvent) => void;
  onError: (error: Error) => void;
}): Promise<JobsDirWatcher> {
  const root = resolve(input.dir);
  const watcher = watch(root, {
    ignoreInitial: true,
    depth: 0,
    // An editor's unlink-then-write within this window arrives as one change.
    atomic: 100,
    ignored: (path, stats) => path !== root && (stats?.isDirectory() === true || !isJobFileName(path)),
  });
  const report = (kind: JobFileEvent['kind']) => (path: string) => {
    if (dirname(path) !== root || !isJobFileName(path)) return;
    if (kind === 'removed') confirmRemoval(path, input.onEvent);
    else input.onEvent({ kind, file: path });
  };
  watcher.on('add', report('added'));
  watcher.on('change', report('changed'));
  watcher.on('unlink', report('removed'));
  watcher.on('error', (error) => input.onError(error instanceof Error ? error : new Error(String(error))));
  await new Promise<void>((ready) => watcher.once('ready', ready));
  return { close: () => watcher.close() };
}

// A rename-over can reach us as an unlink after the new file is already in
// place; a job must not be dropped for a file that exists.
function confirmRemoval(file: string, onEvent: (event: JobFileEvent) => void): void {
  onEvent({ kind: fileFingerprint(file) !== null ? 'changed' : 'removed', file });
}
