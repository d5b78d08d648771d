import { resolve } from 'node:path';
import type { LoadedState } from '../types.js';
import { logEvent } from '../log/events.js';
import type { DaemonContext } from './context.js';
import { addRun, interruptedRun } from './job-records.js';
import type { StoppedOrphans } from './orphans.js';

/**
 * Brings back what the last daemon knew: records by job id (timelines,
 * counts, pauses, history). Runs it left running are recorded `interrupted`.
 * Must run before the job files are applied, so they find their records.
 */
export function restoreState(ctx: DaemonContext, loaded: LoadedState, orphans: StoppedOrphans = new Map()): void {
  if (loaded.kind === 'missing') return;
  if (loaded.kind === 'corrupt') {
    logEvent(ctx.logger, 'state.corrupt', { file: ctx.config.stateFile, movedTo: loaded.movedTo, reason: loaded.reason });
    return;
  }
  const { snapshot } = loaded;
  const jobsDir = resolve(ctx.config.jobsDir);
  // Two projects sharing one state file would share run counters and history silently; the next save claims it for this one.
  if (snapshot.jobsDir !== undefined && snapshot.jobsDir !== jobsDir) {
    logEvent(ctx.logger, 'state.other_jobs_dir', { file: ctx.config.stateFile, jobsDir, savedJobsDir: snapshot.jobsDir });
  }
  for (const record of snapshot.jobs) ctx.records.set(record.id, record);
  for (const running of snapshot.running) {
    const record = ctx.records.get(running.job);
    if (!record) continue;
    const orphansStopped = orphans.get(running.run)?.count;
    const result = { ...interruptedRun(running, snapshot.savedAt), ...(orphansStopped ? { orphansStopped } : {}) };
    addRun(record, result);
    logEvent(ctx.logger, 'run.end', {
      job: result.job, run: result.run, trigger: result.trigger, status: 'interrupted', exitCode: null, signal: null,
      durationMs: result.durationMs, command: '', error: result.error ?? '', ...(orphansStopped ? { orphansStopped } : {}),
    });
  }
  if (snapshot.running.length > 0) ctx.store.saveSoon();
}
