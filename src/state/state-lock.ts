import { constants, readFileSync } from 'node:fs';
import { link, open, rename, rm, writeFile } from 'node:fs/promises';
import { errorInWords } from './errno-words.js';
import { tempFileName } from './write-atomic.js';

/** Who holds a state file: a pid, and that process's start time, so a reused pid is not taken for it. */
interface Holder {
  pid: number;
  /** Clock ticks since boot (field 22 of /proc/<pid>/stat); null where there is no /proc. */
  start: string | null;
}

export type StateLock = { ok: true; release: () => Promise<void> } | { ok: false; message: string };

/**
 * Takes `<state>.lock`, so that two daemons never share a state file (they would run
 * every job twice under the same run ids). A lock whose holder is gone, or whose pid now
 * belongs to a process started at another time, is stale and taken over.
 */
export async function lockStateFile(stateFile: string): Promise<StateLock> {
  const lock = `${stateFile}.lock`;
  const me: Holder = { pid: process.pid, start: startTimeOf(process.pid) };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const taken = await createLock(lock, me);
    if (taken === true) return { ok: true, release: () => releaseLock(lock, me) };
    if (taken !== 'exists') return { ok: false, message: `${lock}: cannot take the state file's lock: ${taken}` };
    const seen = await readLock(lock);
    const holder = holderIn(seen);
    if (holder && isAlive(holder)) {
      return {
        ok: false,
        message: `${stateFile}: in use by another jobd (pid ${holder.pid}, lock ${lock}); stop it first, or give this one another --state-file`,
      };
    }
    await setAside(lock, seen);
  }
  return { ok: false, message: `${lock}: cannot take the state file's lock: another jobd keeps taking it` };
}

// The lock is written whole under a random name (O_EXCL) and then linked into place: link
// fails when the lock exists, and nobody ever reads a lock file half-written.
async function createLock(lock: string, me: Holder): Promise<true | 'exists' | string> {
  const temp = tempFileName(lock);
  try {
    await writeFile(temp, `${JSON.stringify(me)}\n`, { flag: 'wx', mode: 0o644 });
    await link(temp, lock);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'exists' : errorInWords(error, { withPath: false });
  } finally {
    // A temporary file left behind is removed at the next start (stale-temp-files.ts).
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

// Two daemons may find the same stale lock. Each moves the lock it finds to a name of its
// own before removing it, and puts it back if it is not the stale one it read: so neither
// removes the lock the other has just taken.
async function setAside(lock: string, seen: string | null): Promise<void> {
  const aside = tempFileName(lock);
  try {
    await rename(lock, aside);
  } catch {
    // Gone already: another daemon set it aside first.
    return;
  }
  const moved = await readLock(aside);
  // The link fails only when another daemon has taken the lock meanwhile: it holds it now.
  if (moved !== seen) await link(aside, lock).catch(() => undefined);
  // A copy left behind is removed at the next start (stale-temp-files.ts).
  await rm(aside, { force: true }).catch(() => undefined);
}

async function holderOf(lock: string): Promise<Holder | null> {
  return holderIn(await readLock(lock));
}

/** A lock's text, or null when it is missing or not a small regular file (a FIFO put there must not hang the start). */
async function readLock(path: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    // Missing or unreadable: it holds nobody.
    return null;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size > 4096) return null;
    return await handle.readFile('utf8');
  } catch {
    // Unreadable: it holds nobody.
    return null;
  } finally {
    await handle.close();
  }
}

// A lock that cannot be read or understood holds nobody: no jobd writes one like that.
function holderIn(text: string | null): Holder | null {
  if (text === null) return null;
  try {
    const data = JSON.parse(text) as Partial<Holder>;
    if (!Number.isSafeInteger(data.pid) || (data.pid as number) <= 0) return null;
    return { pid: data.pid as number, start: typeof data.start === 'string' ? data.start : null };
  } catch {
    return null;
  }
}

// Never rejects: a lock left behind is stale, and the next start takes it over.
async function releaseLock(lock: string, me: Holder): Promise<void> {
  const holder = await holderOf(lock);
  if (holder?.pid === me.pid && holder.start === me.start) await rm(lock, { force: true }).catch(() => undefined);
}

function isAlive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = startTimeOf(holder.pid);
  if (now === 'ended') return false;
  return holder.start === null || now === null || now === holder.start;
}

/** A process's start time from /proc, or null (no /proc, or a zombie: a dead daemon not reaped yet). */
function startTimeOf(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // No /proc (macOS, BSD) or the process just ended: the pid alone decides.
    return null;
  }
  // The command name in parentheses may hold spaces; the fields after it are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return 'ended';
  return fields[19] ?? null;
}
