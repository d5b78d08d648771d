import type { JobRecord } from '../types.js';
import { afterCycle } from '../job/after-graph.js';
import { jobById, type Registry } from './registry.js';

/**
 * Jobs to start because `finished` completed ok: each lists it in `after`,
 * and every job it lists has completed ok since it last ran.
 */
export function dependentsReady(registry: Registry, records: Map<string, JobRecord>, finished: string): string[] {
  return [...registry.withAfter]
    .map((id) => jobById(registry, id)!)
    .filter((job) => job.enabled && job.after.includes(finished) && afterCycle(job.id, (id) => jobById(registry, id)?.after) === null)
    .filter((job) => {
      const since = at(records.get(job.id)?.lastStartedAt);
      return job.after.every((dep) => at(records.get(dep)?.lastOkAt) > since);
    })
    .map((job) => job.id);
}

const at = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : -Infinity);
