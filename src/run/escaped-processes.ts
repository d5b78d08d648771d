import { elapsedMs, monotonicNow } from './clock.js';
import { processGroupOf } from './kill-process-group.js';
import { findMarked, isMarked } from './marked-processes.js';
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
  const start = (outsideGroupOnly: boolean): void => {
    if (stopping || instance === undefined) return;
    const bornAfter = elapsedMs(born) < YOUNG_RUN_MS ? input.pgid : undefined;
    const marked = findMarked(instance, { run, bornAfter }) ?? [];
    const pids = marked.map((p) => p.pid).filter((pid) => !outsideGroupOnly || processGroupOf(pid) !== input.pgid);
    found = pids.length;
    stopping = stopProcesses({ pids, graceMs: input.graceMs, isOurs: (pid) => isMarked(pid, instance, run) });
  };
  return {
    stop: () => start(true),
    kill() {
      start(true);
      stopping?.kill();
    },
    stopLeftovers: () => start(false),
    settled: () => stopping?.done ?? Promise.resolve(),
    count: () => found,
  };
}
