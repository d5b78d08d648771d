import type { Schedule } from '../types.js';

/** Whether a job keeps its timeline (phase, high-water mark, done) across a change of its definition. */
export function sameSchedule(a: Schedule | null | undefined, b: Schedule | null | undefined): boolean {
  // A one-shot's zone only shows its instant: the same instant keeps its record (done stays done).
  if (a?.kind === 'once' && b?.kind === 'once') return a.at === b.at;
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
