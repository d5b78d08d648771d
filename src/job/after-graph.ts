import type { Job, Problem } from '../types.js';
import { describeCycles } from './after-cycle-text.js';

/** Jobs by id with the ids each lists in `after`. */
export type AfterGraph = ReadonlyMap<string, readonly string[]>;

/**
 * The groups of jobs that trigger each other forever through `after` (strongly
 * connected components with a loop), in the graph's order. One pass of Tarjan's
 * algorithm with an explicit stack: linear in jobs + edges, and a chain of any
 * length cannot overflow the call stack.
 */
export function afterCycles(graph: AfterGraph): string[][] {
  const tarjan: Tarjan = { graph, index: new Map(), low: new Map(), stack: [], onStack: new Set(), cycles: [] };
  for (const root of graph.keys()) if (!tarjan.index.has(root)) visitFrom(tarjan, root);
  return tarjan.cycles;
}

/** Every id that lies on an `after` cycle. */
export function idsOnCycles(graph: AfterGraph): Set<string> {
  return new Set(afterCycles(graph).flat());
}

/** Problems of `after` across a set of jobs: ids that name no job, and cycles (one problem per job on one). */
export function afterProblems(jobs: readonly Job[]): Problem[] {
  const graph = new Map(jobs.map((job) => [job.id, job.after]));
  const problems: Problem[] = [];
  for (const job of jobs) {
    job.after.forEach((dep, i) => {
      if (!graph.has(dep)) problems.push({ file: job.file, path: `after.${i}`, message: `no job has the id "${dep}"` });
    });
  }
  const cycleOf = describeCycles(graph, afterCycles(graph));
  for (const job of jobs) {
    const cycle = cycleOf.get(job.id);
    if (cycle !== undefined) problems.push({ file: job.file, path: 'after', message: `cycle: ${cycle}` });
  }
  return problems;
}

interface Tarjan {
  graph: AfterGraph;
  index: Map<string, number>;
  low: Map<string, number>;
  stack: string[];
  onStack: Set<string>;
  cycles: string[][];
}

function visitFrom(t: Tarjan, root: string): void {
  const work: Array<{ id: string; next: number }> = [];
  const enter = (id: string): void => {
    const order = t.index.size;
    t.index.set(id, order);
    t.low.set(id, order);
    t.stack.push(id);
    t.onStack.add(id);
    work.push({ id, next: 0 });
  };
  enter(root);
  while (work.length > 0) {
    const frame = work[work.length - 1]!;
    const deps = t.graph.get(frame.id) ?? [];
    if (frame.next < deps.length) {
      const dep = deps[frame.next++]!;
      if (!t.graph.has(dep)) continue;
      if (!t.index.has(dep)) enter(dep);
      else if (t.onStack.has(dep)) t.low.set(frame.id, Math.min(t.low.get(frame.id)!, t.index.get(dep)!));
      continue;
    }
    work.pop();
    const parent = work[work.length - 1];
    if (parent) t.low.set(parent.id, Math.min(t.low.get(parent.id)!, t.low.get(frame.id)!));
    if (t.low.get(frame.id) === t.index.get(frame.id)) closeComponent(t, frame.id);
  }
}

function closeComponent(t: Tarjan, head: string): void {
  const members: string[] = [];
  for (;;) {
    const id = t.stack.pop()!;
    t.onStack.delete(id);
    members.push(id);
    if (id === head) break;
  }
  const loops = members.length > 1 || (t.graph.get(head) ?? []).includes(head);
  if (loops) t.cycles.push(members.reverse());
}
