import { basename, dirname, join } from 'node:path';
import { watch } from 'chokidar';
import { asError, errorField } from '../format/error-message.js';
import type { JobFileEvent } from '../types.js';
import { isJobFileName } from './job-file-name.js';
import { entryFingerprint } from './settle.js';

/** Errors about one entry that the loader reports as that file's problem (job.invalid). */
const FILE_TROUBLE = new Set(['ELOOP', 'EACCES', 'EPERM', 'ENOENT', 'ENOTDIR']);

/** One chokidar watch of the jobs directory, from ready to close. */
export interface DirSession {
  close(): Promise<void>;
}

/**
 * Watches `root` (not its sub-directories) and reports job-file events once ready, as
 * they happen: whether a file is whole is the loader's question (it reads at once and
 * again once the file holds still, see watch/settle.ts). `onSelfGone`: the directory
 * itself was removed or moved; this watch sees nothing more.
 */
export async function openDirSession(input: {
  root: string;
  onEvent: (event: JobFileEvent) => void;
  onError: (error: Error) => void;
  onSelfGone: () => void;
}): Promise<DirSession> {
  const { root } = input;
  const watcher = watch(root, {
    ignoreInitial: true,
    depth: 0,
    // An editor's unlink-then-write within this window arrives as one change.
    atomic: 100,
    // A file only root may read is still a job file; the loader says why it cannot be read.
    ignorePermissionErrors: true,
    ignored: (path, stats) => path !== root && (stats?.isDirectory() === true || !isJobFileName(path)),
  });
  const report = (path: string): void => {
    if (dirname(path) !== root || !isJobFileName(path)) return;
    // What is there decides: a rename-over can reach us as an unlink after the new file is
    // in place, and a FIFO or a dangling symlink is a file to report, not a removal.
    input.onEvent({ kind: entryFingerprint(path) === null ? 'removed' : 'changed', file: path });
  };
  for (const name of ['add', 'change', 'unlink'] as const) watcher.on(name, report);
  // chokidar drops entries it cannot stat (dangling or looping symlinks): the directory's
  // own events name every entry, so they go through the same path as the rest.
  watcher.on('raw', (event, name: string | null, details) => {
    if ((details as { watchedPath?: string } | undefined)?.watchedPath !== root || !name) return;
    if (event === 'rename' && name === basename(root)) input.onSelfGone();
    else report(join(root, name));
  });
  watcher.on('unlinkDir', (path: string) => {
    if (path === root) input.onSelfGone();
  });
  watcher.on('error', (error: unknown) => {
    // A job file's own trouble (a symlink loop, no permission) is reported by the loader.
    const path = errorField(error, 'path');
    if (path !== undefined && dirname(path) === root && FILE_TROUBLE.has(errorField(error, 'code') ?? '')) return;
    input.onError(asError(error));
  });
  await new Promise<void>((ready) => watcher.once('ready', ready));
  return { close: () => watcher.close() };
}
