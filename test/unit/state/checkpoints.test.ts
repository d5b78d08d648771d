import { chmod, lstat, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_CHECKPOINT_BYTES, checkpointDirOf, checkpointFileName, createCheckpointStore } from '../../../src/state/checkpoints.js';
import type { CheckpointStore } from '../../../src/types.js';

describe('checkpoint store (issue 16)', () => {
  let dir: string;
  let store: CheckpointStore;
  const mode = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jobd-checkpoints-'));
    store = createCheckpointStore(join(dir, 'jobs_state.json'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('issue 16: prepare makes an empty 0600 file in a 0700 directory beside the state file', async () => {
    expect(store.pathOf('nightly')).toBe(join(dir, 'jobs_state.json.checkpoints', 'nightly'));
    expect(await store.stat('nightly')).toBeNull();
    expect(await store.prepare('nightly')).toBeNull();
    expect(await readFile(store.pathOf('nightly'), 'utf8')).toBe('');
    expect(await mode(checkpointDirOf(join(dir, 'jobs_state.json')))).toBe('700');
    expect(await mode(store.pathOf('nightly'))).toBe('600');
    expect(await store.stat('nightly')).toMatchObject({ bytes: 0 });
  });

  it('issue 16: prepare keeps what a run wrote, and makes it private again', async () => {
    await store.prepare('nightly');
    await writeFile(store.pathOf('nightly'), 'step 5');
    await chmod(store.pathOf('nightly'), 0o644);
    expect(await store.prepare('nightly')).toBeNull();
    expect(await readFile(store.pathOf('nightly'), 'utf8')).toBe('step 5');
    expect(await mode(store.pathOf('nightly'))).toBe('600');
  });

  it('issue 13: a checkpoint removed by hand between runs is made again, empty, for the next run', async () => {
    await store.prepare('nightly');
    await writeFile(store.pathOf('nightly'), 'step 5');
    await rm(store.pathOf('nightly'));
    expect(await store.prepare('nightly')).toBeNull();
    expect(await readFile(store.pathOf('nightly'), 'utf8')).toBe('');
    expect(await mode(store.pathOf('nightly'))).toBe('600');
  });

  it('issue 13: a checkpoint directory removed while jobd runs is made again for the next first run', async () => {
    await store.prepare('nightly');
    await rm(checkpointDirOf(join(dir, 'jobs_state.json')), { recursive: true });
    expect(await store.prepare('weekly')).toBeNull();
    expect(await mode(checkpointDirOf(join(dir, 'jobs_state.json')))).toBe('700');
    expect(await mode(store.pathOf('weekly'))).toBe('600');
  });

  it('issue 16: write, read (bounded), stat and clear', async () => {
    expect(await store.write('nightly', Buffer.from('row 1200'))).toBeNull();
    expect((await store.read('nightly', 1024))?.toString()).toBe('row 1200');
    expect(await store.read('nightly', 3)).toBeNull();
    expect(await store.stat('nightly')).toMatchObject({ bytes: 8 });
    expect(await store.clear('nightly')).toBeNull();
    expect(await store.stat('nightly')).toBeNull();
    expect(await store.clear('nightly')).toBeNull();
    expect(await readdir(checkpointDirOf(join(dir, 'jobs_state.json')))).toEqual([]);
  });

  it('issue 16: write refuses more than 1 MiB and leaves what was there', async () => {
    await store.write('nightly', Buffer.from('kept'));
    expect(await store.write('nightly', Buffer.alloc(MAX_CHECKPOINT_BYTES + 1))).toMatch(/at most 1048576 bytes/);
    expect((await store.read('nightly', MAX_CHECKPOINT_BYTES))?.toString()).toBe('kept');
    expect(await readdir(checkpointDirOf(join(dir, 'jobs_state.json')))).toEqual(['nightly']);
  });

  it('issue 16: a symlink in place of a checkpoint is never followed: not read, not written through, replaced', async () => {
    const outside = join(dir, 'outside');
    await writeFile(outside, 'precious');
    await store.prepare('nightly');
    await rm(store.pathOf('nightly'));
    await symlink(outside, store.pathOf('nightly'));
    expect(await store.stat('nightly')).toBeNull();
    expect(await store.read('nightly', 1024)).toBeNull();
    expect(await store.prepare('nightly')).toBeNull();
    expect((await lstat(store.pathOf('nightly'))).isFile()).toBe(true);
    await rm(store.pathOf('nightly'));
    await symlink(outside, store.pathOf('nightly'));
    expect(await store.write('nightly', Buffer.from('mine'))).toBeNull();
    expect(await store.clear('nightly')).toBeNull();
    expect(await readFile(outside, 'utf8')).toBe('precious');
  });

  it('issue 16: a checkpoint directory that is a symlink is refused', async () => {
    await symlink(dir, checkpointDirOf(join(dir, 'jobs_state.json')));
    expect(await store.prepare('nightly')).toMatch(/expected a directory/);
  });

  it('issue 16: names that are not shaped like job ids cannot leave the directory', () => {
    expect(checkpointFileName('nightly-export.v2')).toBe('nightly-export.v2');
    for (const id of ['..', '../x', 'a/b', '.hidden', '', 'x'.repeat(300)]) expect(checkpointFileName(id)).toMatch(/^~[0-9a-f]{64}$/);
  });
});
