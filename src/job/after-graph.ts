import type { Job, Problem } from '../types.js';

/** The cycle through `start` along `after` edges (`[a, b, a]`), or null: such jobs would trigger each other forever. */
export function afterCycle(start: string, afterOf: (id: string) => readonly string[] | undefined): string[] | null {
  const path: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string): boolean => {
    if (path.includes(id)) return id === start;
    if (seen.has(id)) return false;
    seen.add(id);
    path.push(id);
    for (const dep of afterOf(id) ?? []) if (visit(dep)) return true;
    path.pop();
    return false;
  };
  return visit(start) ? [...path, start] : null;
}

/** Problems of `after` across a set of jobs: ids that name no job, and cycles. */
export function afterProblems(jobs: readonly Job[]): Problem[] {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const afterOf = (id: string): readonly string[] | undefined => byId.get(id)?.after;
  const problems: Problem[] = [];
  for (const job of jobs) {
    job.after.forEach((dep, i) => {
      if (!byId.has(dep)) problems.push({ file: job.file, path: `after.${i}`, message: `no job has the id "${dep}"` });
    });
    const cycle = job.after.length > 0 ? afterCycle(job.id, afterOf) : null;
    if (cycle) problems.push({ file: job.file, path: 'after', message: `cycle: ${cycle.join(' → ')}` });
  }
  return problems;
}
