import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/**
 * Every run's environment carries JOBD_INSTANCE (this state file) and JOBD_RUN_ID, and every
 * process the command starts inherits them, whatever process group or session it moves to.
 * On Linux /proc/<pid>/environ shows them, so a run's processes can be found by that marker
 * alone: escaped ones (setsid), leftovers of a finished run, orphans of a killed daemon.
 */

/** A live process carrying this instance's marker. */
export interface MarkedProcess {
  pid: number;
  run: string;
  job: string;
}

/** The instance id of the daemon using `stateFile`: the same across restarts, different for another project. */
export function instanceId(stateFile: string): string {
  const absolute = resolve(stateFile);
  let where = absolute;
  try {
    where = resolve(realpathSync(dirname(absolute)), basename(absolute));
  } catch {
    // The directory is missing (the state store will say so): the absolute path names it still.
  }
  return createHash('sha256').update(where).digest('hex').slice(0, 16);
}

/** The run and job a process environment (NUL-separated `NAME=value`) names, if it carries `instance`. */
export function markerOf(environ: Buffer, instance: string): { run: string; job: string } | null {
  if (environ.indexOf(`JOBD_INSTANCE=${instance}\0`) === -1 && !endsWith(environ, `JOBD_INSTANCE=${instance}`)) return null;
  let run: string | null = null;
  let job = '';
  let instanceSeen = false;
  for (const entry of environ.toString('utf8').split('\0')) {
    if (entry === `JOBD_INSTANCE=${instance}`) instanceSeen = true;
    else if (entry.startsWith('JOBD_RUN_ID=')) run = entry.slice('JOBD_RUN_ID='.length);
    else if (entry.startsWith('JOBD_JOB_ID=')) job = entry.slice('JOBD_JOB_ID='.length);
  }
  // The needle may have matched across entries (a value ending in "JOBD_INSTANCE=..."); the entry decides.
  return instanceSeen && run !== null && run !== '' ? { run, job } : null;
}

/**
 * Live processes carrying the marker of `instance` (all runs, or only `run`); null where there is no /proc.
 * With `bornAfter` (a PID that was new a short while ago) only PIDs allocated since are read: Linux hands
 * out PIDs in increasing order, so a run's descendants have higher PIDs than its leader unless the
 * counter wrapped, which /proc/sys/kernel/ns_last_pid shows; then, or where it is missing, all are read.
 */
export function findMarked(instance: string, options: { run?: string; bornAfter?: number } = {}): MarkedProcess[] | null {
  const { run, bornAfter } = options;
  const floor = bornAfter !== undefined && (lastPid() ?? -1) >= bornAfter ? bornAfter : 0;
  return scanMarked(instance, floor, (marker) => run === undefined || marker.run === run);
}

/**
 * The live processes of each of `runs` (run id → the PID of its leader, or undefined when it is not young),
 * in one reading of /proc for all of them; null where there is no /proc.
 */
export function findMarkedOfRuns(instance: string, runs: ReadonlyMap<string, number | undefined>): Map<string, MarkedProcess[]> | null {
  const last = lastPid() ?? -1;
  let floor = Infinity;
  for (const bornAfter of runs.values()) floor = Math.min(floor, bornAfter !== undefined && last >= bornAfter ? bornAfter : 0);
  const found = scanMarked(instance, floor === Infinity ? 0 : floor, (marker) => runs.has(marker.run));
  if (found === null) return null;
  const byRun = new Map<string, MarkedProcess[]>([...runs.keys()].map((run) => [run, []]));
  for (const marked of found) byRun.get(marked.run)?.push(marked);
  return byRun;
}

function scanMarked(instance: string, floor: number, wanted: (marker: { run: string; job: string }) => boolean): MarkedProcess[] | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    // Not Linux, or not one descriptor left to list it: no process can be found by its environment.
    return null;
  }
  const found: MarkedProcess[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!(pid > floor) || pid === process.pid || !/^\d+$/.test(entry)) continue;
    const environ = readEnviron(pid);
    const marker = environ && markerOf(environ, instance);
    if (marker && wanted(marker)) found.push({ pid, ...marker });
  }
  return found;
}

/** Whether `pid` is still a live process of `run` of `instance`: a PID reused by another process is not. */
export function isMarked(pid: number, instance: string, run: string): boolean {
  const environ = readEnviron(pid);
  return environ !== null && markerOf(environ, instance)?.run === run;
}

/** The last PID handed out in this PID namespace, or null where the kernel does not say. */
function lastPid(): number | null {
  try {
    const pid = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
    return Number.isInteger(pid) ? pid : null;
  } catch {
    // Kernels without checkpoint/restore support have no such file: every process is read.
    return null;
  }
}

function readEnviron(pid: number): Buffer | null {
  try {
    const environ = readFileSync(`/proc/${pid}/environ`);
    // A zombie's environment reads empty: it runs nothing any more.
    return environ.length === 0 ? null : environ;
  } catch {
    // Gone since the listing, or another user's process: not ours to stop either way.
    return null;
  }
}

function endsWith(bytes: Buffer, text: string): boolean {
  const tail = Buffer.from(text);
  return bytes.length >= tail.length && bytes.subarray(bytes.length - tail.length).equals(tail);
}
