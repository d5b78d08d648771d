import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryFingerprint, SETTLE_MS, whenSettled } from '../../../src/watch/settle.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jobd-settle-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('entryFingerprint', () => {
  it('changes with a write, and is null for a missing file or a directory', async () => {
    const file = join(dir, 'print.json');
    await writeFile(file, '{}');
    const before = entryFingerprint(file);
    await sleep(5);
    await writeFile(file, '{"a": 1}');
    expect(entryFingerprint(file)).not.toBe(before);
    expect(entryFingerprint(join(dir, 'missing.json'))).toBeNull();
    expect(entryFingerprint(dir)).toBeNull();
  });

  it('is an entry for what is no regular file, and changes when a symlink is retargeted', async () => {
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    await symlink('nowhere.json', join(dir, 'dangling.json'));
    await symlink('loop.json', join(dir, 'loop.json'));
    await symlink('/dev/null', join(dir, 'device.json'));
    await writeFile(join(dir, 'locked.json'), '{}', { mode: 0o000 });
    for (const name of ['fifo.json', 'dangling.json', 'loop.json', 'device.json', 'locked.json']) {
      expect(entryFingerprint(join(dir, name)), name).not.toBeNull();
    }
    const before = entryFingerprint(join(dir, 'dangling.json'));
    await writeFile(join(dir, 'nowhere.json'), '{}');
    expect(entryFingerprint(join(dir, 'dangling.json'))).not.toBe(before);
  });
});

describe('whenSettled', () => {
  it('calls back once the file has held still, and not while it keeps changing', async () => {
    const file = join(dir, 'busy.json');
    await writeFile(file, '{');
    const started = Date.now();
    let settledAt: number | null = null;
    let print: string | null | undefined;
    whenSettled({ file, stillMs: SETTLE_MS, onSettled: (now) => {
      settledAt = Date.now();
      print = now;
    } });
    for (let i = 0; i < 5; i += 1) {
      await sleep(SETTLE_MS / 3);
      await writeFile(file, `{${'x'.repeat(i)}`);
    }
    const lastWrite = Date.now();
    expect(settledAt).toBeNull();
    while (settledAt === null && Date.now() - started < 5_000) await sleep(10);
    expect(settledAt).not.toBeNull();
    expect(settledAt! - lastWrite).toBeGreaterThanOrEqual(SETTLE_MS - 25);
    expect(print).toBe(entryFingerprint(file));
  });

  it('does not call back once cancelled', async () => {
    const file = join(dir, 'cancelled.json');
    await writeFile(file, '{}');
    let called = false;
    whenSettled({ file, stillMs: SETTLE_MS, onSettled: () => (called = true) }).cancel();
    await sleep(SETTLE_MS * 2);
    expect(called).toBe(false);
  });
});
