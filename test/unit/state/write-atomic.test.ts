import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/state/write-atomic.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jobd-write-atomic-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates the file with the text and leaves no temporary file', async () => {
    const path = join(dir, 'jobs_state.json');
    expect(await writeFileAtomic(path, '{"version":1}\n')).toEqual({ ok: true });
    expect(await readFile(path, 'utf8')).toBe('{"version":1}\n');
    expect(await readdir(dir)).toEqual(['jobs_state.json']);
  });

  it('replaces the whole content, longer or shorter', async () => {
    const path = join(dir, 'jobs_state.json');
    await writeFile(path, 'old content that is rather long\n');
    expect(await writeFileAtomic(path, 'new\n')).toEqual({ ok: true });
    expect(await readFile(path, 'utf8')).toBe('new\n');
    const long = `${'x'.repeat(200_000)}\n`;
    expect(await writeFileAtomic(path, long)).toEqual({ ok: true });
    expect(await readFile(path, 'utf8')).toBe(long);
    expect(await readdir(dir)).toEqual(['jobs_state.json']);
  });

  it('writes pieces of bytes in order, as they are', async () => {
    const path = join(dir, 'jobs_state.json');
    const pieces = [Buffer.from('{"d":"caf'), Buffer.from('é"'), Buffer.alloc(0), ...Array.from({ length: 3_000 }, () => Buffer.from(' ')), Buffer.from('}\n')];
    expect(await writeFileAtomic(path, pieces)).toEqual({ ok: true });
    expect(await readFile(path, 'utf8')).toBe(`{"d":"café"${' '.repeat(3_000)}}\n`);
  });

  it('writes the file readable by its owner only', async () => {
    const path = join(dir, 'jobs_state.json');
    await writeFileAtomic(path, '{}');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('keeps other files in the directory', async () => {
    await writeFile(join(dir, 'jobs_state.json.corrupt-2026'), 'garbage');
    await writeFileAtomic(join(dir, 'jobs_state.json'), '{}');
    expect((await readdir(dir)).sort()).toEqual(['jobs_state.json', 'jobs_state.json.corrupt-2026']);
    expect(await readFile(join(dir, 'jobs_state.json.corrupt-2026'), 'utf8')).toBe('garbage');
  });

  it('reports a missing directory as a value', async () => {
    const result = await writeFileAtomic(join(dir, 'no-such-dir', 'jobs_state.json'), '{}');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/ENOENT/);
  });

  it('reports a path that cannot be replaced, and removes its temporary file', async () => {
    const path = join(dir, 'jobs_state.json');
    await mkdir(path);
    await writeFile(join(path, 'keep'), 'inside');
    const result = await writeFileAtomic(path, '{}');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).not.toBe('');
    expect(await readdir(dir)).toEqual(['jobs_state.json']);
    expect(await readFile(join(path, 'keep'), 'utf8')).toBe('inside');
  });

  // Two calls in the same tick start in the same millisecond: each needs its own temporary file.
  it('lets writes to the same path race: each succeeds and one complete version is left', async () => {
    const path = join(dir, 'jobs_state.json');
    const texts = [`${'a'.repeat(100_000)}\n`, 'b\n'];
    for (let round = 0; round < 5; round += 1) {
      const results = await Promise.all(texts.map((text) => writeFileAtomic(path, text)));
      expect(results).toEqual([{ ok: true }, { ok: true }]);
      expect(texts).toContain(await readFile(path, 'utf8'));
      expect(await readdir(dir)).toEqual(['jobs_state.json']);
    }
  });
});
