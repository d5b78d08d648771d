import type { JobRecord, StateSnapshot } from '../types.js';

/** Jobs stringified between two turns of the event loop: a few milliseconds of work. */
const SLICE = 500;

// Snapshot entries are never changed once made, and an unchanged job is given the same
// entry again (see daemon/snapshot-of.ts), so its text can be kept for the next save.
const texts = new WeakMap<JobRecord, string>();

/**
 * The snapshot as one line of compact JSON, the same text as JSON.stringify,
 * built a slice of jobs at a time. With 10,000 jobs the whole string takes
 * tens of milliseconds; in slices, due timers and file events get their turn
 * in between instead of waiting for the save. Only entries not seen before
 * are stringified; the rest reuse their text.
 */
export async function stringifySnapshot(snapshot: StateSnapshot): Promise<string> {
  const jobs: string[] = [];
  let fresh = 0;
  for (const job of snapshot.jobs) {
    let text = texts.get(job);
    if (text === undefined) {
      if (fresh > 0 && fresh % SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      fresh += 1;
      text = JSON.stringify(job);
      texts.set(job, text);
    }
    jobs.push(text);
  }
  const head = JSON.stringify({ version: snapshot.version, savedAt: snapshot.savedAt });
  return `${head.slice(0, -1)},"jobs":[${jobs.join(',')}],"running":${JSON.stringify(snapshot.running)}}`;
}
