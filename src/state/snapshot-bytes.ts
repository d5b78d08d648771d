import type { JobRecord, StateSnapshot } from '../types.js';

/** Jobs serialized between two turns of the event loop: a few milliseconds of work. */
const SLICE = 500;

const COMMA = Buffer.from(',');

// Snapshot entries are never changed once made, and an unchanged job is given the same
// entry again (see daemon/snapshot-of.ts), so its bytes can be kept for the next save.
// Bytes rather than text: a save then hands the kept buffers to one writev, instead of
// joining megabytes of text and encoding the result again.
const kept = new WeakMap<JobRecord, Buffer>();

/** One snapshot entry as UTF-8 JSON, kept for as long as the entry lives. */
export function entryBytes(entry: JobRecord): Buffer {
  let bytes = kept.get(entry);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(entry));
    kept.set(entry, bytes);
  }
  return bytes;
}

/**
 * The snapshot as one line of compact JSON (the bytes of JSON.stringify) and a newline,
 * in pieces to be written in order, built a slice of jobs at a time. Serializing 10,000
 * entries takes tens of milliseconds; in slices, due timers and file events get their
 * turn in between instead of waiting for the save. Only entries not seen before are
 * serialized; the rest reuse their bytes.
 */
export async function snapshotBytes(snapshot: StateSnapshot): Promise<Buffer[]> {
  const head = JSON.stringify({ version: snapshot.version, savedAt: snapshot.savedAt });
  const parts: Buffer[] = [Buffer.from(`${head.slice(0, -1)},"jobs":[`)];
  let fresh = 0;
  for (const job of snapshot.jobs) {
    if (!kept.has(job)) {
      if (fresh > 0 && fresh % SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      fresh += 1;
    }
    if (parts.length > 1) parts.push(COMMA);
    parts.push(entryBytes(job));
  }
  parts.push(Buffer.from(`],"running":${JSON.stringify(snapshot.running)}}\n`));
  return parts;
}
