import { elapsedMs, monotonicNow } from './clock.js';
import { processGroupOf } from './kill-process-group.js';
import { findMarked, findMarkedOfRuns, isMarked, type MarkedProcess } from './marked-processes.js';
import { stopProcesses, type ProcessesStop } from './stop-processes.js';

/**
 * The processes of a run that signalling its process group does not reach: those that
 * left it (setsid, a daemonising fork) while the run was stopped, and any left behind
 * when the command ended by itself. Found by the run's marker (marked-processes.ts),
 * with one /proc scan per stop or end, never while the run just runs.
 */
export interface EscapedProcesses {
  /** A stop of the group began: stop the run's processes outside the group the same way (SIGTERM, SIGKILL after killGrace). */
  stop(): void;
  /** SIGKILL them now (the group is being killed). */
  kill(): void;
  /** The command ended by itself: stop whatever process of the run is still there. */
  stopLeftovers(): void;
  /** Resolves once the processes found are gone; at once while nothing was found. */
  settled(): Promise<void>;
  /** How many were found. */
  count(): number;
}

/**
 * Within this time of its start a run's descendants are found among the PIDs allocated after its leader's;
 * later, the PID counter may have gone all the way round, and every process is read.
 */
const YOUNG_RUN_MS = 60_000;

/** Watches for escapes of run `run` whose group is led by `pgid`; without an `instance` there is no marker, so nothing is found. */
export function escapedProcesses(input: { instance: string | undefined; run: string; pgid: number; graceMs: number }): EscapedProcesses {
  const { instance, run } = input;
  const born = monotonicNow();
  let stopping: ProcessesStop | null = null;
  let found = 0;
  const bornAfter = (): number | undefined => (elapsedMs(born) < YOUNG_RUN_MS ? input.pgid : undefined);
  const stopFound = (marked: MarkedProcess[], outsideGroupOnly: boolean, ours: string): ProcessesStop => {
    const pids = marked.map((p) => p.pid).filter((pid) => !outsideGroupOnly || processGroupOf(pid) !== input.pgid);
    found = pids.length;
    return stopProcesses({ pids, graceMs: input.graceMs, isOurs: (pid) => isMarked(pid, ours, run) });
  };
  const stop = (): void => {
    if (stopping || instance === undefined) return;
    stopping = stopFound(findMarked(instance, { run, bornAfter: bornAfter() }) ?? [], true, instance);
  };
  return {
    stop,
    kill() {
      stop();
      stopping?.kill();
    },
    stopLeftovers() {
      if (stopping || instance === undefined) return;
      let inner: ProcessesStop | null = null;
      let killNow = false;
      // Settles whatever happens: the run's end waits for it.
      const done = leftoversOf(instance, run, bornAfter())
        .then((marked) => {
          inner = stopFound(marked, false, instance);
          if (killNow) inner.kill();
          return inner.done;
        })
        .catch(() => undefined);
      stopping = {
        kill() {
          killNow = true;
          inner?.kill();
        },
        done,
      };
    },
    settled: () => stopping?.done ?? Promise.resolve(),
    count: () => found,
  };
}

/**
 * Stops every process of `run` wherever it is: for a start whose answer was lost, so the
 * command may run with nobody watching it. Resolves with how many were found, once they are gone.
 */
export async function stopRunProcesses(input: { instance: string | undefined; run: string; graceMs: number }): Promise<number> {
  const { instance, run } = input;
  if (instance === undefined) return 0;
  const pids = (await leftoversOf(instance, run, undefined)).map((p) => p.pid);
  await stopProcesses({ pids, graceMs: input.graceMs, isOurs: (pid) => isMarked(pid, instance, run) }).done;
  return pids.length;
}

/** Runs whose leftovers are to be looked for, by instance: the run, its leader's PID while young, and who waits. */
const pending = new Map<string, Array<{ run: string; bornAfter: number | undefined; found: (marked: MarkedProcess[]) => void }>>();

// Every run that ends by itself is looked for in /proc (the listing, and the environment of
// each process born since its leader): that was the daemon's largest cost per run after the
// spawn itself. Runs that end in the same turn of the event loop share one reading of /proc,
// so when many end together, as under load, it is read once for all of them.
function leftoversOf(instance: string, run: string, bornAfter: number | undefined): Promise<MarkedProcess[]> {
  return new Promise((found) => {
    if (pending.size === 0) setImmediate(lookForLeftovers);
    let waiting = pending.get(instance);
    if (!waiting) pending.set(instance, (waiting = []));
    waiting.push({ run, bornAfter, found });
  });
}

function lookForLeftovers(): void {
  const batches = [...pending];
  pending.clear();
  for (const [instance, waiting] of batches) {
    // A run asked for twice is looked for from the lower of its floors; each asker gets the answer.
    const runs = new Map<string, number | undefined>();
    for (const { run, bornAfter } of waiting) {
      if (!runs.has(run)) runs.set(run, bornAfter);
      else {
        const known = runs.get(run);
        runs.set(run, known === undefined || bornAfter === undefined ? undefined : Math.min(known, bornAfter));
      }
    }
    let byRun: Map<string, MarkedProcess[]> | null = null;
    try {
      byRun = findMarkedOfRuns(instance, runs);
    } catch {
      // Reading /proc reports its own failures as "nothing found"; should anything else throw
      // here, it must not end the daemon from a setImmediate, nor leave these runs waiting.
    }
    for (const { run, found } of waiting) found(byRun?.get(run) ?? []);
  }
}
