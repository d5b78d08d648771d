import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileFingerprint, SETTLE_MS, whenSettled } from '../../../src/watch/settle.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jobd-settle-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('fileFingerprint', () => {
  it('changes with a write, and is null for a missing file or a directory', async () => {
    const file = join(dir, 'print.json');
    await writeFile(file, '{}');
    const before = fileFingerprint(file);
    await sleep(5);
    await writeFile(file, '{"a": 1}');
    expect(fileFingerprint(file)).not.toBe(before);
    expect(fileFingerprint(join(dir, 'missing.json'))).toBeNull();
    expect(fileFingerprint(dir)).toBeNull();
  });
});

describe('whenSettled', () => {
  it('calls back once the file has held still, and not while it keeps changing', async () => {
    const file = join(dir, 'busy.json');
    await writeFile(file, '{');
    const started = Date.now();
    let settledAt: number | null = null;
    let print: string | null | undefined;
    whenSettled(file, (now) => {
      settledAt = Date.now();
      print = now;
    });
    for (let i = 0; i < 5; i += 1) {
      await sleep(SETTLE_MS / 3);
      await writeFile(file, `{${'x'.repeat(i)}`);
    }
    const lastWrite = Date.now();
    expect(settledAt).toBeNull();
    while (settledAt === null && Date.now() - started < 5_000) await sleep(10);
    expect(settledAt).not.toBeNull();
    expect(settledAt! - lastWrite).toBeGreaterThanOrEqual(SETTLE_MS - 25);
    expect(print).toBe(fileFingerprint(file));
  });

  it('does not call back once cancelled', async () => {
    const file = join(dir, 'cancelled.json');
    await writeFile(file, '{}');
    let called = false;
    whenSettled(file, () => (called = true)).cancel();
    await sleep(SETTLE_MS * 2);
    expect(called).toBe(false);
  });
});
