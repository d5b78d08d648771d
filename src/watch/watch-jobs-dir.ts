import { resolve } from 'node:path';
import type { JobFileEvent } from '../types.js';
import { dirIdentity, lostReason, type DirIdentity } from './dir-identity.js';
import { openDirSession, type DirSession } from './dir-session.js';
import { entryFingerprint } from './settle.js';

/** How often the directory is looked up: to notice it was swapped, and to see it come back. */
export const REWATCH_MS = 500;

/**
 * How long a removal waits to be confirmed: `rm -rf` unlinks the files just before the
 * directory, and a directory that goes keeps its jobs (README: Watching).
 */
const REMOVAL_CONFIRM_MS = 100;

/** A running watcher on the jobs directory. */
export interface JobsDirWatcher {
  close(): Promise<void>;
}

/** The directory being watched now, and whether its watch saw it go. */
interface Watching {
  session: DirSession | null;
  identity: DirIdentity & { ok: true };
  gone: boolean;
}

/**
 * Watches the jobs directory, and keeps watching it when it is removed, re-created or
 * swapped for a symlink: `onLost` says why (once per reason while it stays lost), and
 * once a directory is there again and `refuse` has nothing against it (the start-up
 * checks), it is watched again and `onRestored` is called for the caller to re-read it.
 */
export async function watchJobsDir(input: {
  dir: string;
  onEvent: (event: JobFileEvent) => void;
  onError: (error: Error) => void;
  onLost: (reason: string) => void;
  onRestored: () => void;
  refuse: (dir: string) => string | null;
}): Promise<JobsDirWatcher> {
  const root = resolve(input.dir);
  const state = { closed: false, checking: false, reported: null as string | null, watching: null as Watching | null };

  const report = (reason: string): void => {
    if (reason === state.reported) return;
    state.reported = reason;
    input.onLost(reason);
  };
  const confirmRemoval = (current: Watching, file: string): void => {
    if (state.watching !== current) return;
    if (current.gone || lostReason(current.identity, dirIdentity(root), false) !== null) return void check();
    input.onEvent({ kind: entryFingerprint(file) === null ? 'removed' : 'changed', file });
  };
  const open = async (identity: DirIdentity & { ok: true }): Promise<void> => {
    const current: Watching = { session: null, identity, gone: false };
    const session = await openDirSession({
      root,
      onEvent: (event) => {
        if (state.watching !== current) return;
        if (event.kind !== 'removed') return input.onEvent(event);
        setTimeout(() => confirmRemoval(current, event.file), REMOVAL_CONFIRM_MS).unref();
      },
      onError: input.onError,
      onSelfGone: () => {
        current.gone = true;
        void check();
      },
    });
    current.session = session;
    if (state.closed) await session.close();
    else state.watching = current;
  };
  // Is the watched directory still there, or is a lost one back? Never throws: a failure
  // is one more reason to keep looking.
  const check = async (): Promise<void> => {
    if (state.checking || state.closed) return;
    state.checking = true;
    try {
      const now = dirIdentity(root);
      const current = state.watching;
      if (current !== null) {
        const reason = lostReason(current.identity, now, current.gone);
        if (reason === null) return;
        state.watching = null;
        await current.session?.close();
        report(reason);
      }
      if (!now.ok) return report(now.reason);
      const refused = input.refuse(root);
      if (refused !== null) return report(refused);
      const wasLost = state.reported !== null;
      await open(now);
      state.reported = null;
      if (wasLost && !state.closed) input.onRestored();
    } catch (error) {
      report(`it cannot be watched: ${(error as Error).message}`);
    } finally {
      state.checking = false;
    }
  };

  await check();
  const timer = setInterval(() => void check(), REWATCH_MS);
  timer.unref();
  return {
    close: async () => {
      state.closed = true;
      clearInterval(timer);
      await state.watching?.session?.close();
    },
  };
}
