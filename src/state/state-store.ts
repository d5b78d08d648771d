import { constants } from 'node:fs';
import { access, open, rename } from 'node:fs/promises';
import type { LoadedState, StateSnapshot } from '../types.js';
import { errorInWords } from './errno-words.js';
import { withoutPastOutput } from './output-tail.js';
import { parseSnapshot } from './snapshot.js';
import { snapshotBytes } from './snapshot-bytes.js';
import { writeFileAtomic } from './write-atomic.js';

/**
 * How long changes gather before one write. SPEC §8 allows a second between
 * a change and its save; a quarter of that keeps `kill -9` losses small while
 * a burst of run endings still costs one write.
 */
const SAVE_DELAY_MS = 250;

/** Reads the state file; a corrupt one is moved aside (never deleted) and reported. */
export async function loadState(path: string, now: Date): Promise<LoadedState> {
  const read = await readState(path);
  if (read.kind !== 'corrupt') return read;
  return { kind: 'corrupt', reason: read.reason, movedTo: read.unread ? null : await moveAside(path, now) };
}

/** Reads the state file and leaves it where it is (`jobd next`); `unread`: it could not even be read. */
export async function readState(
  path: string,
): Promise<{ kind: 'missing' } | { kind: 'loaded'; snapshot: StateSnapshot } | { kind: 'corrupt'; reason: string; unread: boolean }> {
  const read = await readBounded(path);
  if (read.kind === 'missing') return read;
  if (read.kind === 'unreadable') return { kind: 'corrupt', reason: `cannot read: ${read.reason}`, unread: true };
  const parsed = read.kind === 'text' ? parseSnapshot(read.text) : read;
  return parsed.ok ? { kind: 'loaded', snapshot: parsed.snapshot } : { kind: 'corrupt', reason: parsed.reason, unread: false };
}

function byteLength(parts: readonly Uint8Array[]): number {
  return parts.reduce((sum, part) => sum + part.length, 0);
}

/** The largest state file read: 10,000 jobs with full histories take tens of MiB. */
export const MAX_STATE_BYTES = 256 * 1024 * 1024;

type ReadResult =
  | { kind: 'missing' }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'text'; text: string }
  | { kind: 'refused'; ok: false; reason: string };

// Never more than MAX_STATE_BYTES in memory, and never a wait on a FIFO put in the
// file's place (O_NONBLOCK): such a file is refused as corrupt, like bad JSON.
async function readBounded(path: string): Promise<ReadResult> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', reason: errorInWords(error) };
  }
  try {
    const stats = await handle.stat();
    const refuse = (reason: string): ReadResult => ({ kind: 'refused', ok: false, reason });
    // A directory is a mistake in --state-file, not a file to set aside.
    if (stats.isDirectory()) return { kind: 'unreadable', reason: 'is a directory (EISDIR)' };
    if (!stats.isFile()) return refuse('not a regular file');
    if (stats.size > MAX_STATE_BYTES) return refuse(tooLarge(stats.size));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(MAX_STATE_BYTES + 1 - total, 8 * 1024 * 1024));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      // It grew while being read.
      if (total > MAX_STATE_BYTES) return refuse(tooLarge(total));
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return { kind: 'text', text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (error) {
    return { kind: 'unreadable', reason: errorInWords(error) };
  } finally {
    await handle.close();
  }
}

function tooLarge(size: number): string {
  return `the file is too large (${size} bytes); a state file may be at most ${MAX_STATE_BYTES} bytes (256 MiB)`;
}

// rename() replaces its target, and an earlier corrupt copy must never be lost.
async function moveAside(path: string, now: Date): Promise<string | null> {
  const base = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  for (let n = 0; n < 100; n += 1) {
    const target = n === 0 ? base : `${base}-${n}`;
    if (await exists(target)) continue;
    return rename(path, target).then(
      () => target,
      () => null,
    );
  }
  return null;
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Saves the state soon after changes (coalesced) or now (shutdown). */
export interface StateStore {
  saveSoon(): void;
  saveNow(): Promise<void>;
}

/** A store that writes `snapshot()` to `path` atomically and reports each write. */
export function createStateStore(input: {
  path: string;
  snapshot: () => StateSnapshot;
  onSaved: (info: { jobs: number; durationMs: number }) => void;
  onError: (message: string) => void;
}): StateStore {
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  // One line of compact JSON: 40% fewer bytes to write and fsync than indented (jq reads it fine).
  // A save never throws: whatever goes wrong is a state.error, and the next change saves again.
  const write = async (): Promise<void> => {
    try {
      const started = performance.now();
      let snapshot = input.snapshot();
      let parts = await snapshotBytes(snapshot);
      // A state file jobd could not read back would cost every record at the next start.
      if (byteLength(parts) > MAX_STATE_BYTES) {
        snapshot = withoutPastOutput(snapshot);
        parts = await snapshotBytes(snapshot);
        const fits = byteLength(parts) <= MAX_STATE_BYTES;
        input.onError(`the state is over ${MAX_STATE_BYTES} bytes (256 MiB) with the output of past runs: ${fits ? 'saved without it' : 'not saved'}`);
        if (!fits) return;
      }
      const result = await writeFileAtomic(input.path, parts);
      if (result.ok) input.onSaved({ jobs: snapshot.jobs.length, durationMs: Math.round(performance.now() - started) });
      else input.onError(result.message);
    } catch (error) {
      input.onError(errorInWords(error));
    }
  };
  // Writes never overlap: each waits for the one before it.
  const enqueue = (): Promise<void> => (writing = writing.then(write));

  return {
    saveSoon() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void enqueue();
      }, SAVE_DELAY_MS);
    },
    async saveNow() {
      if (timer) clearTimeout(timer);
      timer = null;
      await enqueue();
    },
  };
}
