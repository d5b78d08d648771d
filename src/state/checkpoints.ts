import { createHash, randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { chmod, lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointInfo, CheckpointStore } from '../types.js';

/** The largest checkpoint jobd keeps after a run: 1 MiB. */
export const MAX_CHECKPOINT_BYTES = 1024 * 1024;

// The shape of a job id: such a name can be neither "." nor "..", nor hold a "/".
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
// O_NOFOLLOW: a checkpoint a command replaced by a symlink is never opened through it.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** The directory of a state file's checkpoints: beside it, `<state file>.checkpoints`. */
export function checkpointDirOf(stateFile: string): string {
  return `${stateFile}.checkpoints`;
}

/** A file name for a job id; anything that is not shaped like one is hashed, so no id can leave the directory. */
export function checkpointFileName(job: string): string {
  return SAFE_NAME.test(job) ? job : `~${createHash('sha256').update(job).digest('hex')}`;
}

/** Checkpoints as files in one directory (0700), each 0600, for the jobs of one state file. */
export function createCheckpointStore(stateFile: string): CheckpointStore {
  const dir = checkpointDirOf(stateFile);
  const pathOf = (job: string): string => join(dir, checkpointFileName(job));
  return {
    pathOf,
    prepare: async (job) => {
      try {
        await ensureDir(dir);
        const path = pathOf(job);
        const found = await lstatOrNull(path);
        if (found?.isFile()) return (found.mode & 0o777) === 0o600 ? null : await privateMode(path);
        // A directory, a symlink or a FIFO the command left in its place is not a checkpoint.
        if (found) await rm(path, { recursive: true, force: true });
        await (await open(path, CREATE_FLAGS, 0o600)).close();
        return null;
      } catch (error) {
        return problemOf(error);
      }
    },
    stat: async (job) => {
      try {
        const found = await lstatOrNull(pathOf(job));
        return found?.isFile() ? infoOf(found) : null;
      } catch {
        // Unreadable is shown as no checkpoint: status must answer whatever the directory holds.
        return null;
      }
    },
    read: (job, maxBytes) => readBounded(pathOf(job), maxBytes),
    write: async (job, data) => {
      try {
        await ensureDir(dir);
        const temp = join(dir, `.${checkpointFileName(job)}.${randomBytes(6).toString('hex')}.tmp`);
        const handle = await open(temp, CREATE_FLAGS, 0o600);
        try {
          await handle.writeFile(data);
        } finally {
          await handle.close();
        }
        // rename replaces whatever is at the path, a symlink itself rather than its target.
        await rename(temp, pathOf(job));
        return null;
      } catch (error) {
        return problemOf(error);
      }
    },
    clear: async (job) => {
      try {
        await rm(pathOf(job), { recursive: true, force: true });
        return null;
      } catch (error) {
        return problemOf(error);
      }
    },
  };
}

async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const found = await lstat(dir);
  if (!found.isDirectory()) throw new Error(`${dir}: expected a directory, found something else (a symlink?)`);
  if ((found.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
}

// A command's `mv` of its temp file brings that file's mode (umask 022: 0644) along.
async function privateMode(path: string): Promise<null> {
  const handle = await open(path, READ_FLAGS);
  try {
    await handle.chmod(0o600);
  } finally {
    await handle.close();
  }
  return null;
}

async function readBounded(path: string, maxBytes: number): Promise<Buffer | null> {
  let handle;
  try {
    handle = await open(path, READ_FLAGS);
  } catch {
    // Missing, a symlink, or unreadable: there is no checkpoint to hand on.
    return null;
  }
  try {
    const found = await handle.stat();
    if (!found.isFile() || found.size > maxBytes) return null;
    const buffer = Buffer.alloc(found.size);
    const { bytesRead } = await handle.read(buffer, 0, found.size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function infoOf(found: { size: number; mtime: Date }): CheckpointInfo {
  return { bytes: found.size, modifiedAt: found.mtime.toISOString() };
}

function problemOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
