import type { JobRecord } from '../types.js';
import { afterCycle } from '../job/after-graph.js';
import { activeJobs, jobById, type Registry } from './registry.js';

/**
 * Jobs to start because `finished` completed ok: each lists it in `after`,
 * and every job it lists has completed ok since it last ran.
 */
export function dependentsReady(registry: Registry, records: Map<string, JobRecord>, finished: string): string[] {
  return activeJobs(registry)
    .filter((job) => job.enabled && job.after.includes(finished) && afterCycle(job.id, (id) => jobById(registry, id)?.after) === null)
    .filter((job) => {
      const since = lastStart(records.get(job.id));
      return job.after.every((dep) => lastOk(records.get(dep)) > since);
    })
    .map((job) => job.id);
}

function lastStart(record: JobRecord | undefined): number {
  const run = record?.history.findLast((r) => 'startedAt' in r);
  return run && 'startedAt' in run ? Date.parse(run.startedAt) : -Infinity;
}

function lastOk(record: JobRecord | undefined): number {
  const run = record?.history.findLast((r) => r.status === 'ok');
  return run && 'endedAt' in run ? Date.parse(run.endedAt) : -Infinity;
}
