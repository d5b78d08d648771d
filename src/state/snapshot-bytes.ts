import type { JobRecord, StateSnapshot } from '../types.js';

/** Serializing work between two turns of the event loop, in ms: due timers and file events wait no longer. */
const SLICE_MS = 8;
/**
 * New entries in a save before it gives way to the event loop at all. Under load one turn
 * of the loop can take hundreds of milliseconds of spawns, so a save that yields takes that
 * long per yield: runs ending (a few new entries per save, microseconds each) are written in
 * one go, and only a reload of thousands of job files is written in slices.
 */
const FRESH_TO_YIELD = 2_000;
/** How long a save that yields may keep yielding; past this it finishes in one go, so its duration stays bounded. */
const YIELD_FOR_MS = 100;

const COMMA = Buffer.from(',');

// Snapshot entries and runs are never changed once made, and an unchanged job is given the
// same entry again (see daemon/snapshot-of.ts), so their bytes can be kept for the next save.
// Bytes rather than text: a save then hands the kept buffers to one writev, instead of joining
// megabytes of text and encoding the result again.
const kept = new WeakMap<object, Buffer>();

/** One snapshot entry as UTF-8 JSON (the bytes of JSON.stringify), kept for as long as the entry lives. */
export function entryBytes(entry: JobRecord): Buffer {
  let bytes = kept.get(entry);
  if (bytes === undefined) {
    bytes = freshEntryBytes(entry);
    kept.set(entry, bytes);
  }
  return bytes;
}

// A changed job reuses the bytes of every run but the new one: under a run ending every
// millisecond, a save serializes one run per changed job, not its history. Its definition
// is serialized again (microseconds) rather than kept a second time beside the entry.
function freshEntryBytes(entry: JobRecord): Buffer {
  const parts: Buffer[] = [];
  let text = '{';
  for (const key in entry) {
    const value = entry[key as keyof JobRecord];
    if (value === undefined) continue;
    text += `${text === '{' ? '' : ','}${JSON.stringify(key)}:`;
    if (key === 'lastRun' && value !== null) {
      parts.push(Buffer.from(text), runBytes(value as object));
      text = '';
    } else if (key === 'history') {
      parts.push(Buffer.from(`${text}[`), ...joined((value as object[]).map(runBytes)), Buffer.from(']'));
      text = '';
    } else text += JSON.stringify(value);
  }
  parts.push(Buffer.from(`${text}}`));
  return keptCopy(parts);
}

function runBytes(run: object): Buffer {
  let bytes = kept.get(run);
  if (bytes === undefined) {
    bytes = keptCopy([Buffer.from(JSON.stringify(run))]);
    kept.set(run, bytes);
  }
  return bytes;
}

// Kept bytes are made to measure, outside Node's 8 KiB buffer pool: a small kept buffer
// cut from the pool holds on to its whole slab, and with it every short-lived buffer cut
// beside it (10,000 jobs held 2,614 slabs, 21 MB, for 7.8 MB of state).
function keptCopy(parts: readonly Buffer[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  const bytes = Buffer.allocUnsafeSlow(length);
  let offset = 0;
  for (const part of parts) offset += part.copy(bytes, offset);
  return bytes;
}

function joined(items: Buffer[]): Buffer[] {
  return items.flatMap((item, i) => (i === 0 ? [item] : [COMMA, item]));
}

/**
 * The snapshot as one line of compact JSON (the bytes of JSON.stringify) and a newline,
 * in pieces to be written in order. Serializing 10,000 new entries takes tens of
 * milliseconds; then it yields a turn of the event loop every few milliseconds of it (for
 * its first YIELD_FOR_MS), so due timers and file events are not held up by a save.
 * Entries seen before reuse their bytes.
 */
export async function snapshotBytes(snapshot: StateSnapshot): Promise<Buffer[]> {
  const { version, savedAt, jobsDir } = snapshot;
  const head = JSON.stringify(jobsDir === undefined ? { version, savedAt } : { version, savedAt, jobsDir });
  const parts: Buffer[] = [Buffer.from(`${head.slice(0, -1)},"jobs":[`)];
  let fresh = 0;
  for (const job of snapshot.jobs) if (!kept.has(job)) fresh += 1;
  const started = performance.now();
  let sliceStart = started;
  for (const job of snapshot.jobs) {
    const mayYield = fresh > FRESH_TO_YIELD && sliceStart - started < YIELD_FOR_MS;
    if (mayYield && !kept.has(job) && performance.now() - sliceStart >= SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    if (parts.length > 1) parts.push(COMMA);
    parts.push(entryBytes(job));
  }
  parts.push(Buffer.from(`],"running":${JSON.stringify(snapshot.running)}}\n`));
  return parts;
}
