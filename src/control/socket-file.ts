import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';

export type PathCheck = { ok: true } | { ok: false; message: string };

/** Which file a socket path names, so that only the one we created is ever removed. */
export interface SocketIdentity {
  dev: number;
  ino: number;
}

/**
 * Makes `path` free for a new socket. Nothing there is fine; a socket nobody
 * answers on (left by a killed daemon) is removed. Anything else is refused and
 * left untouched: a live socket, a regular file, a directory, a symlink.
 */
export async function clearStaleSocket(path: string): Promise<PathCheck> {
  let found: Stats;
  try {
    found = await lstat(path);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return code === 'ENOENT' ? { ok: true } : { ok: false, message: `${path}: cannot inspect the socket path: ${message}` };
  }
  if (!found.isSocket()) {
    return { ok: false, message: `${path}: exists and is ${kindOf(found)}, not a socket; jobd will not replace it (choose another --socket)` };
  }
  const probe = await probeSocket(path);
  if (probe === 'live') return { ok: false, message: `${path}: another jobd is already running on this socket` };
  if (probe !== 'stale') {
    return { ok: false, message: `${path}: cannot tell whether this socket is in use (${probe}); remove it by hand if no jobd runs on it` };
  }
  await rm(path, { force: true });
  return { ok: true };
}

/**
 * A fresh name in the socket's directory to listen on before renaming into place.
 * The server unlinks the path it listened on when it closes, whatever file is
 * there by then; listening elsewhere and renaming keeps that unlink harmless.
 */
export function provisionalSocketPath(path: string): string {
  return join(dirname(path), `.jobd${randomBytes(2).toString('hex')}`);
}

/** The identity of the socket at `path` now, or null when it is not a socket. */
export async function socketIdentity(path: string): Promise<SocketIdentity | null> {
  const found = await lstat(path).catch(() => null);
  return found?.isSocket() ? { dev: found.dev, ino: found.ino } : null;
}

/** Removes `path` only if it is still the socket we created. */
export async function removeOwnSocket(path: string, own: SocketIdentity): Promise<void> {
  const now = await socketIdentity(path);
  if (now && now.dev === own.dev && now.ino === own.ino) await rm(path, { force: true });
}

function kindOf(found: Stats): string {
  if (found.isFile()) return 'a regular file';
  if (found.isDirectory()) return 'a directory';
  if (found.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

function probeSocket(path: string): Promise<'live' | 'stale' | string> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve('live');
    });
    probe.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? 'stale' : error.message);
    });
  });
}
