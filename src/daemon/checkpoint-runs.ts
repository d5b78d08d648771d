import type { RunResult } from '../types.js';
import { logEvent } from '../log/events.js';
import { MAX_CHECKPOINT_BYTES } from '../state/checkpoints.js';
import type { DaemonContext } from './context.js';

/** Makes the job's checkpoint file before its command starts; a problem is a `checkpoint.error`, and the run still starts. */
export function prepareCheckpoint(ctx: DaemonContext, job: string): () => void | Promise<void> {
  const report = (problem: string | null): void => {
    if (problem !== null) logEvent(ctx.logger, 'checkpoint.error', { job, path: ctx.checkpoints.pathOf(job), message: problem });
  };
  return () => {
    const problem = ctx.checkpoints.prepare(job);
    return problem instanceof Promise ? problem.then(report) : report(problem);
  };
}

/**
 * After a run: an `ok` run's checkpoint is cleared (the work is done); any other keeps it for
 * the next run, unless it grew beyond the bound. Tracked, so shutdown waits for it.
 */
export function settleCheckpoint(ctx: DaemonContext, result: RunResult): void {
  const work = settle(ctx, result).finally(() => ctx.checkpointWork.delete(work));
  ctx.checkpointWork.add(work);
}

/** Resolves once every checkpoint being settled is. */
export async function checkpointsSettled(ctx: DaemonContext): Promise<void> {
  await Promise.all([...ctx.checkpointWork]);
}

async function settle(ctx: DaemonContext, result: RunResult): Promise<void> {
  const { job, run } = result;
  const path = ctx.checkpoints.pathOf(job);
  const info = result.status === 'ok' ? null : await ctx.checkpoints.stat(job);
  const kept = result.status !== 'ok' && (info === null || info.bytes <= MAX_CHECKPOINT_BYTES);
  // A kept checkpoint is made private again (and a symlink left in its place replaced) for the next run.
  const problem = kept ? await ctx.checkpoints.prepare(job) : await ctx.checkpoints.clear(job);
  if (problem !== null) logEvent(ctx.logger, 'checkpoint.error', { job, path, message: problem });
  else if (info && !kept) logEvent(ctx.logger, 'checkpoint.too_large', { job, run, path, bytes: info.bytes, maxBytes: MAX_CHECKPOINT_BYTES });
}
