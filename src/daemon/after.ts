import type { Job, JobRecord } from '../types.js';
import { activeJobs, jobById, type Registry } from './registry.js';

/** The ids in `job.after` that name no job, and the cycle it is part of, if any: both make `after` unusable. */
export function afterProblems(registry: Registry, job: Job): { unknown: string[]; cycle: string[] | null } {
  const unknown = job.after.filter((id) => !jobById(registry, id));
  return { unknown, cycle: cycleThrough(registry, job.id) };
}

/**
 * Jobs to start because `finished` completed ok: each lists it in `after`,
 * and every job it lists has completed ok since it last ran.
 */
export function dependentsReady(registry: Registry, records: Map<string, JobRecord>, finished: string): string[] {
  return activeJobs(registry)
    .filter((job) => job.enabled && job.after.includes(finished) && cycleThrough(registry, job.id) === null)
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

// A job reachable from itself through `after` would trigger itself forever.
function cycleThrough(registry: Registry, start: string): string[] | null {
  const path: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string): boolean => {
    if (path.includes(id)) return id === start;
    if (seen.has(id)) return false;
    seen.add(id);
    path.push(id);
    for (const dep of jobById(registry, id)?.after ?? []) if (visit(dep)) return true;
    path.pop();
    return false;
  };
  return visit(start) ? [...path, start] : null;
}
