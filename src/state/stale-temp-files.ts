import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Removes the temporary files that saves of `stateFile` (and its lock) left when their
 * process died mid-write: `.<state>.<pid>.<random>.tmp` beside it. Called with the state
 * lock held, so no other live daemon writes this state file: every such file of another
 * pid is a leftover, whether that pid is gone or reused since. Says how many went.
 */
export async function removeStaleTempFiles(stateFile: string): Promise<number> {
  const dir = dirname(stateFile);
  const base = basename(stateFile);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    // The directory cannot be listed: the save will say why, in words, when it fails.
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = tempFilePid(name, base);
    if (pid === null || pid === process.pid) continue;
    // rm on a path never follows a symlink: a planted link is removed, not its target.
    const gone = await rm(join(dir, name)).then(() => true, () => false);
    if (gone) removed += 1;
  }
  return removed;
}

function tempFilePid(name: string, base: string): number | null {
  for (const prefix of [`.${base}.`, `.${base}.lock.`]) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const match = /^(\d+)\.[0-9a-z]+\.tmp$/.exec(name.slice(prefix.length));
    if (match) return Number(match[1]);
  }
  return null;
}
