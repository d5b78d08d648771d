import type { LoadedState, RunningRecord } from '../types.js';
import { logEvent } from '../log/events.js';
import { findMarked, isMarked, type MarkedProcess } from '../run/marked-processes.js';
import { stopProcesses } from '../run/stop-processes.js';
import type { DaemonContext } from './context.js';
import { addRun, interruptedRun } from './job-records.js';

/** The job file default; used when the state file does not say what a job's was. */
const DEFAULT_KILL_GRACE_MS = 5_000;

/** Runs of an earlier daemon of this state file whose processes were still running at start, by run id. */
export type StoppedOrphans = Map<string, { job: string; count: number }>;

/**
 * After a `kill -9` or a crash, the commands of the dead daemon's runs keep running,
 * reparented to PID 1, with no timeout left to stop them. Before anything is fired,
 * every process carrying this state file's marker is stopped (SIGTERM, SIGKILL after
 * the job's killGrace) and waited for. The /proc scan, not the state file's pid list, is
 * the source of truth: a run started just before the crash may not be in the file, and a
 * pid in it may since belong to someone else. With nothing to stop it costs one scan.
 */
export async function stopOrphans(ctx: DaemonContext, loaded: LoadedState): Promise<StoppedOrphans> {
  const byRun = new Map<string, MarkedProcess[]>();
  for (const found of findMarked(ctx.instance) ?? []) byRun.set(found.run, [...(byRun.get(found.run) ?? []), found]);
  const stopped: StoppedOrphans = new Map();
  await Promise.all(
    [...byRun].map(async ([run, processes]) => {
      const job = processes[0]!.job;
      const graceMs = killGraceOf(loaded, job);
      const pids = processes.map((p) => p.pid);
      await stopProcesses({ pids, graceMs, isOurs: (pid) => isMarked(pid, ctx.instance, run) }).done;
      stopped.set(run, { job, count: pids.length });
    }),
  );
  return stopped;
}

/**
 * Records the stopped runs the state file did not list as running (started less than a save
 * delay before the crash) as `interrupted`; runs it listed are recorded by restoreState.
 */
export function recordOrphans(ctx: DaemonContext, loaded: LoadedState, orphans: StoppedOrphans): void {
  const listed = new Set(loaded.kind === 'loaded' ? loaded.snapshot.running.map((r) => r.run) : []);
  const now = new Date().toISOString();
  const since = loaded.kind === 'loaded' ? loaded.snapshot.savedAt : now;
  for (const [run, { job, count }] of orphans) {
    if (listed.has(run)) continue;
    const record = ctx.records.get(job);
    // A run already in the history ended; what still ran was its onSuccess/onFailure hook.
    if (record?.history.some((r) => r.run === run)) continue;
    const running: RunningRecord = { run, job, pid: null, startedAt: since, trigger: 'schedule', scheduledAt: since };
    const result = { ...interruptedRun(running, now), orphansStopped: count };
    if (record) {
      addRun(record, result);
      // Run ids must not repeat: this one was taken after the last save.
      const seq = Number(run.slice(job.length + 1));
      if (run.startsWith(`${job}-`) && Number.isInteger(seq) && seq > record.runSeq) record.runSeq = seq;
    }
    logEvent(ctx.logger, 'run.end', {
      job, run, trigger: result.trigger, status: 'interrupted', exitCode: null, signal: null,
      durationMs: result.durationMs, command: '', error: result.error ?? '', orphansStopped: count,
    });
  }
  if (orphans.size > 0) ctx.store.saveSoon();
}

function killGraceOf(loaded: LoadedState, job: string): number {
  if (loaded.kind !== 'loaded') return DEFAULT_KILL_GRACE_MS;
  const grace = loaded.snapshot.jobs.find((record) => record.id === job)?.definition?.killGraceMs;
  return typeof grace === 'number' && Number.isFinite(grace) && grace >= 0 ? grace : DEFAULT_KILL_GRACE_MS;
}
