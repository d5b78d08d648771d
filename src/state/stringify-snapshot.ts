import type { StateSnapshot } from '../types.js';

/** Jobs stringified between two turns of the event loop: a few milliseconds of work. */
const SLICE = 500;

/**
 * The snapshot as one line of compact JSON, the same text as JSON.stringify,
 * built a slice of jobs at a time. With 10,000 jobs the whole string takes
 * tens of milliseconds; in slices, due timers and file events get their turn
 * in between instead of waiting for the save.
 */
export async function stringifySnapshot(snapshot: StateSnapshot): Promise<string> {
  const jobs: string[] = [];
  for (let start = 0; start < snapshot.jobs.length; start += SLICE) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    for (const job of snapshot.jobs.slice(start, start + SLICE)) jobs.push(JSON.stringify(job));
  }
  const head = JSON.stringify({ version: snapshot.version, savedAt: snapshot.savedAt });
  return `${head.slice(0, -1)},"jobs":[${jobs.join(',')}],"running":${JSON.stringify(snapshot.running)}}`;
}
