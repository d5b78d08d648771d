import type { RunRecord, StateSnapshot } from '../types.js';

/** stdout and stderr bytes kept per run in the state file's history. */
export const HISTORY_OUTPUT_BYTES = 64 * 1024;
/** stdout and stderr bytes kept in a job's lastRun in the state file: the most `maxOutput` may be. */
export const LAST_RUN_OUTPUT_BYTES = 16 * 1024 * 1024;

// Runs are never changed once made, so each is cut once per limit and the same object is
// handed out on every save (the writer keeps the bytes of objects it has seen).
const cut = new Map<number, WeakMap<RunRecord, RunRecord>>();

/**
 * The run with stdout and stderr cut to their last `maxBytes` bytes each (the run itself
 * when they fit): the state file holds 10,000 jobs' histories, and one string in it
 * beyond 512 MiB would make the save throw.
 */
export function withOutputTail<R extends RunRecord | null>(run: R, maxBytes: number): R {
  if (run === null || run.status === 'skipped') return run;
  let seen = cut.get(maxBytes);
  if (!seen) cut.set(maxBytes, (seen = new WeakMap()));
  let bounded = seen.get(run);
  if (!bounded) {
    const stdout = tailBytes(run.stdout, maxBytes);
    const stderr = tailBytes(run.stderr, maxBytes);
    bounded = stdout === run.stdout && stderr === run.stderr ? run : { ...run, stdout, stderr };
    seen.set(run, bounded);
  }
  return bounded as R;
}

function tailBytes(text: string, maxBytes: number): string {
  // A UTF-16 unit is at most 3 bytes of UTF-8: short text needs no count.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.from(text);
  if (bytes.length <= maxBytes) return text;
  let start = bytes.length - maxBytes;
  // Start on a character, not inside one.
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start += 1;
  return bytes.subarray(start).toString('utf8');
}

/**
 * The snapshot without the output of past runs (lastRun keeps its last HISTORY_OUTPUT_BYTES):
 * what is saved when the whole would be over the size a state file may be read back at.
 */
export function withoutPastOutput(snapshot: StateSnapshot): StateSnapshot {
  const jobs = snapshot.jobs.map((job) => ({
    ...job,
    lastRun: withOutputTail(job.lastRun, HISTORY_OUTPUT_BYTES),
    history: job.history.map((run) => withOutputTail(run, 0)),
  }));
  return { ...snapshot, jobs };
}
