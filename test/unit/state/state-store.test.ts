import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStateStore, loadState, MAX_STATE_BYTES, type StateStore } from '../../../src/state/state-store.js';
import { toSnapshot } from '../../../src/state/snapshot.js';
import type { JobRecord, StateSnapshot } from '../../../src/types.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

const record = (id: string, runCount: number): JobRecord => ({
  id, file: `/srv/jobs.d/${id}.json`, definition: null, state: 'scheduled', nextRunAt: null,
  lastFireAt: null, lastStartedAt: null, lastOkAt: null, runCount, runSeq: runCount, paused: false, lastRun: null, history: [],
});

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jobd-state-store-'));
  path = join(dir, 'jobs_state.json');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadState', () => {
  const now = new Date('2026-07-01T10:20:30.456Z');

  it('reports a missing file as missing', async () => {
    expect(await loadState(path, now)).toEqual({ kind: 'missing' });
  });

  it('loads a saved snapshot', async () => {
    const snapshot = toSnapshot({ jobs: [record('a', 2)], running: [], savedAt: now });
    await writeFile(path, JSON.stringify(snapshot));
    expect(await loadState(path, now)).toEqual({ kind: 'loaded', snapshot });
  });

  it.each([
    ['garbage', 'this is not json at all', /^not valid JSON/],
    ['a truncated document', '{"version": 1, "jobs": [{"id": "a"', /^not valid JSON/],
    ['the wrong shape', '{"version": 1, "jobs": "a,b"}', /^jobs: expected an array, got "a,b"$/],
    ['a future version', '{"version": 2, "jobs": []}', /^version: expected 1, got 2$/],
  ])('moves %s aside, keeping its content, and says why', async (_label, content, reason) => {
    await writeFile(path, content);
    const loaded = await loadState(path, now);
    const movedTo = `${path}.corrupt-2026-07-01T10-20-30-456Z`;
    expect(loaded).toEqual({ kind: 'corrupt', reason: expect.stringMatching(reason), movedTo });
    expect(await readFile(movedTo, 'utf8')).toBe(content);
    expect(await readdir(dir)).toEqual(['jobs_state.json.corrupt-2026-07-01T10-20-30-456Z']);
  });

  it('then starts from a missing file, keeping the corrupt copy', async () => {
    await writeFile(path, 'garbage');
    await loadState(path, now);
    expect(await loadState(path, new Date(now.getTime() + 1_000))).toEqual({ kind: 'missing' });
    expect(await readdir(dir)).toHaveLength(1);
  });

  it('reports a state path it cannot read, and leaves it in place', async () => {
    await mkdir(path);
    const loaded = await loadState(path, now);
    expect(loaded).toEqual({ kind: 'corrupt', reason: expect.stringMatching(/^cannot read: /), movedTo: null });
    expect(await readdir(dir)).toEqual(['jobs_state.json']);
  });

  it('issue 11.3: refuses a file over 256 MiB without reading it, and moves it aside', async () => {
    await writeFile(path, '{}');
    await truncate(path, MAX_STATE_BYTES + 1);
    const loaded = await loadState(path, now);
    expect(loaded).toEqual({ kind: 'corrupt', reason: expect.stringMatching(/too large .*at most 268435456 bytes \(256 MiB\)/), movedTo: expect.any(String) });
  });

  it('issue 11.3: refuses a FIFO in the state file\'s place instead of waiting on it', async () => {
    execFileSync('mkfifo', [path]);
    const loaded = await loadState(path, now);
    expect(loaded).toEqual({ kind: 'corrupt', reason: 'not a regular file', movedTo: expect.any(String) });
  });
});

describe('createStateStore', () => {
  let stores: StateStore[];
  let saved: { jobs: number; durationMs: number }[];
  let errors: string[];
  let snapshotCalls: number[];
  let jobs: JobRecord[];

  beforeEach(() => {
    stores = [];
    saved = [];
    errors = [];
    snapshotCalls = [];
    jobs = [record('a', 1)];
  });

  // Every store gets a final saveNow so no timer outlives its test directory.
  afterEach(async () => {
    for (const store of stores) await store.saveNow();
  });

  function makeStore(at = path): StateStore {
    const store = createStateStore({
      path: at,
      snapshot: (): StateSnapshot => {
        snapshotCalls.push(Date.now());
        return toSnapshot({ jobs: jobs.map((r) => ({ ...r })), running: [], savedAt: new Date() });
      },
      onSaved: (info) => saved.push(info),
      onError: (message) => errors.push(message),
    });
    stores.push(store);
    return store;
  }

  const savedState = async (): Promise<StateSnapshot> => JSON.parse(await readFile(path, 'utf8')) as StateSnapshot;

  it('coalesces several saveSoon calls into one write within a second, with the latest records', async () => {
    const store = makeStore();
    const first = Date.now();
    store.saveSoon();
    store.saveSoon();
    jobs = [record('a', 2), record('b', 1)];
    store.saveSoon();
    await until(() => saved.length >= 1);
    await sleep(400);
    expect(saved).toHaveLength(1);
    expect(saved[0]?.jobs).toBe(2);
    expect(snapshotCalls[0]! - first).toBeLessThan(1_000);
    const state = await savedState();
    expect(state.jobs.map((r) => [r.id, r.runCount])).toEqual([['a', 2], ['b', 1]]);
    expect(await readdir(dir)).toEqual(['jobs_state.json']);
  });

  it('does not write before anything asks it to', async () => {
    makeStore();
    await sleep(400);
    expect(saved).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes again for changes after a save', async () => {
    const store = makeStore();
    store.saveSoon();
    await until(() => saved.length === 1);
    jobs = [record('a', 5)];
    store.saveSoon();
    await until(() => saved.length === 2);
    expect((await savedState()).jobs[0]?.runCount).toBe(5);
  });

  it('saveNow writes before it resolves', async () => {
    const store = makeStore();
    await store.saveNow();
    expect(saved).toHaveLength(1);
    expect(errors).toEqual([]);
    expect((await savedState()).jobs.map((r) => r.id)).toEqual(['a']);
  });

  it('saveNow takes over a pending saveSoon: one write, not two', async () => {
    const store = makeStore();
    store.saveSoon();
    await store.saveNow();
    expect(saved).toHaveLength(1);
    await sleep(500);
    expect(saved).toHaveLength(1);
  });

  it('serialises back-to-back saveNow calls, the last one winning', async () => {
    const store = makeStore();
    const writes = [1, 2, 3].map((n) => {
      jobs = [record('a', n)];
      return store.saveNow();
    });
    await Promise.all(writes);
    expect(saved).toHaveLength(3);
    expect((await savedState()).jobs[0]?.runCount).toBe(3);
    expect(await readdir(dir)).toEqual(['jobs_state.json']);
  });

  it('reports a write it cannot make through onError, and keeps working', async () => {
    const store = makeStore(join(dir, 'missing-dir', 'jobs_state.json'));
    await store.saveNow();
    expect(saved).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^no such file or directory \(ENOENT\): /);
    await store.saveNow();
    expect(errors).toHaveLength(2);
  });

  it('issue 11.4: a snapshot that throws is reported through onError, never thrown', async () => {
    const store = createStateStore({
      path,
      snapshot: () => {
        throw new RangeError('Invalid string length');
      },
      onSaved: (info) => saved.push(info),
      onError: (message) => errors.push(message),
    });
    stores.push(store);
    await store.saveNow();
    expect(errors).toEqual(['Invalid string length']);
  });
});
