import type { JobRecord } from '../types.js';
import { idsOnCycles } from '../job/after-graph.js';
import { jobById, type Registry } from './registry.js';

/**
 * Jobs to start because `finished` completed ok: each lists it in `after`,
 * and every job it lists has completed ok since it last ran. Jobs on a cycle
 * never start this way: they would trigger each other forever.
 */
export function dependentsReady(registry: Registry, records: Map<string, JobRecord>, finished: string): string[] {
  const onCycles = cyclesOf(registry);
  return [...registry.withAfter]
    .map((id) => jobById(registry, id)!)
    .filter((job) => job.enabled && job.after.includes(finished) && !onCycles.has(job.id))
    .filter((job) => {
      const since = at(records.get(job.id)?.lastStartedAt);
      return job.after.every((dep) => at(records.get(dep)?.lastOkAt) > since);
    })
    .map((job) => job.id);
}

const at = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : -Infinity);

const cycleCache = new WeakMap<Registry, { version: number; ids: Set<string> }>();

// Found once per change of the jobs, not once per run: a chain of thousands of jobs
// would otherwise be walked again after every run on it.
function cyclesOf(registry: Registry): Set<string> {
  const cached = cycleCache.get(registry);
  if (cached?.version === registry.version) return cached.ids;
  // Only jobs that list others can be on a cycle.
  const graph = new Map([...registry.withAfter].map((id) => [id, jobById(registry, id)?.after ?? []]));
  const ids = idsOnCycles(graph);
  cycleCache.set(registry, { version: registry.version, ids });
  return ids;
}
