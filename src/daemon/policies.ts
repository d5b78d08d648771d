import type { Fire, FireDecision, Job, JobRecord } from '../types.js';

/** What a job is doing when one of its fires comes due. */
export interface JobActivity {
  /** Runs of this job in progress. */
  running: string[];
  /** Fires of this job waiting for a concurrency slot or for its running run. */
  waiting: number;
}

/** Applies maxRuns, pause and the overlap policy to one fire (SPEC §2 `overlap`, `maxRuns`). */
export function decideFire(fire: Fire, job: Job, record: JobRecord, activity: JobActivity): FireDecision {
  const scheduled = fire.trigger !== 'manual';
  if (scheduled && !job.enabled) return { action: 'skip', reason: 'disabled' };
  if (scheduled && record.paused) return { action: 'skip', reason: 'paused' };
  if (job.maxRuns !== null && record.runCount >= job.maxRuns && fire.trigger !== 'retry') {
    return { action: 'skip', reason: 'maxRuns' };
  }
  const busy = activity.running.length > 0 || activity.waiting > 0;
  if (!busy) return { action: 'start' };
  switch (job.overlap) {
    case 'allow':
      return { action: 'start' };
    case 'queue':
      // At most one fire waits behind the running run; later ones are dropped.
      return activity.waiting > 0 ? skipOverlap(activity) : { action: 'queue' };
    case 'replace':
      return activity.running.length > 0 ? { action: 'replace', runningRuns: activity.running } : skipOverlap(activity);
    case 'skip':
      return skipOverlap(activity);
  }
}

function skipOverlap(activity: JobActivity): FireDecision {
  const runningRun = activity.running[0];
  return runningRun === undefined ? { action: 'skip', reason: 'overlap' } : { action: 'skip', reason: 'overlap', runningRun };
}

/** Whether another command may start now under `--max-concurrency`. */
export function hasCapacity(running: number, maxConcurrency: number): boolean {
  return running < maxConcurrency;
}

/**
 * Whether this node runs this fire. Always true on one machine; in a cluster the
 * shared store answers with one statement, and exactly one node gets true.
 */
export function claim(fire: Fire, cluster: { claim(fire: Fire): Promise<boolean> } | null): true | Promise<boolean> {
  return cluster === null ? true : cluster.claim(fire);
}
