import { createHash, randomBytes } from 'node:crypto';
import { constants, lstatSync, rmSync, type Stats } from 'node:fs';
import { chmod, lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointInfo, CheckpointStore } from '../types.js';
import { errorMessage } from '../format/error-message.js';

/** The largest checkpoint jobd keeps after a run: 1 MiB. */
export const MAX_CHECKPOINT_BYTES = 1024 * 1024;

// The shape of a job id: such a name can be neither "." nor "..", nor hold a "/".
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
// O_NOFOLLOW: a checkpoint a command replaced by a symlink is never opened through it.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
// No O_TRUNC: what the last run left stays. O_NONBLOCK: a FIFO in its place fails (ENXIO) instead of blocking.
const PREPARE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;
// What open() says when something other than a regular file is at the path: a symlink, a directory, a FIFO.
const NOT_A_FILE = new Set(['ELOOP', 'EISDIR', 'ENXIO']);

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
  // Jobs whose file this store has made: for them the file is most likely in place, and one
  // lstat that finds it regular and 0600 is all a run needs. A job's first run goes straight to
  // making it, without a failed lstat first (an ENOENT costs an exception on the timers'
  // thread). The directory is checked once, and again whenever a file cannot be made in it.
  const made = new Set<string>();
  let dirChecked = false;
  return {
    pathOf,
    prepare: async (job) => {
      try {
        if (made.has(job) && isPrivateFile(await lstatOrNull(pathOf(job)))) return null;
        if (!dirChecked) await ensureDir(dir);
        dirChecked = true;
        await privateFile(pathOf(job)).catch(async (error: NodeJS.ErrnoException) => {
          // The directory went away since it was checked: it is made again, once.
          if (error.code !== 'ENOENT') throw error;
          await ensureDir(dir);
          await privateFile(pathOf(job));
        });
        made.add(job);
        return null;
      } catch (error) {
        dirChecked = false;
        return errorMessage(error);
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
      if (data.length > MAX_CHECKPOINT_BYTES) return `expected a checkpoint of at most ${MAX_CHECKPOINT_BYTES} bytes, got ${data.length}`;
      const temp = join(dir, `.${checkpointFileName(job)}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await ensureDir(dir);
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
        await rm(temp, { force: true });
        return errorMessage(error);
      }
    },
    sizeOf: (job) => {
      try {
        const found = lstatSync(pathOf(job), { throwIfNoEntry: false });
        return found?.isFile() ? found.size : null;
      } catch {
        // Unreadable counts as no checkpoint: the next prepare says what is wrong with it.
        return null;
      }
    },
    clear: (job) => {
      try {
        rmSync(pathOf(job), { recursive: true, force: true });
        return null;
      } catch (error) {
        return errorMessage(error);
      }
    },
  };
}

// On libuv's thread pool, as the file below: making a job's first checkpoint file costs about a
// millisecond on ext4, which the timers' thread would otherwise spend once per job.
async function ensureDir(dir: string): Promise<void> {
  let found = await lstatOrNull(dir);
  if (found === null) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    found = await lstat(dir);
  }
  if (!found.isDirectory()) throw new Error(`${dir}: expected a directory, found something else (a symlink?)`);
  if ((found.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
}

// Whatever a command left in the checkpoint's place that is not a regular file (a symlink, a
// directory, a FIFO) is removed, never followed; a command's `mv` of its temp file brings that
// file's mode (umask 022: 0644) along, so the mode is set again.
async function privateFile(path: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let handle;
    try {
      handle = await open(path, PREPARE_FLAGS, 0o600);
    } catch (error) {
      if (!NOT_A_FILE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      await rm(path, { recursive: true, force: true });
      continue;
    }
    try {
      const found = await handle.stat();
      if (found.isFile()) {
        if ((found.mode & 0o777) !== 0o600) await handle.chmod(0o600);
        return;
      }
    } finally {
      await handle.close();
    }
    await rm(path, { recursive: true, force: true });
  }
  throw new Error(`${path}: expected a regular file, and something else keeps taking its place`);
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

function isPrivateFile(found: Stats | null): boolean {
  return found !== null && found.isFile() && (found.mode & 0o777) === 0o600;
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
