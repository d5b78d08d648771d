import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dirIdentity, lostReason, type DirIdentity } from '../../../src/watch/dir-identity.js';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'jobd-identity-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

function present(path: string): DirIdentity & { ok: true } {
  const identity = dirIdentity(path);
  if (!identity.ok) throw new Error(`expected a directory at ${path}: ${identity.reason}`);
  return identity;
}

describe('dirIdentity and lostReason', () => {
  it('the same directory is not lost, unless its watch saw it go', async () => {
    const dir = join(base, 'jobs.d');
    await mkdir(dir);
    const before = present(dir);
    expect(lostReason(before, dirIdentity(dir), false)).toBeNull();
    expect(lostReason(before, dirIdentity(dir), true)).toMatch(/removed or moved, and a directory is there again/);
  });

  it('a removed directory, a file in its place, another directory and a symlink each say why', async () => {
    const dir = join(base, 'jobs.d');
    await mkdir(dir);
    const before = present(dir);
    await rename(dir, join(base, 'old'));
    expect(lostReason(before, dirIdentity(dir), false)).toBe('the directory was removed or moved away');
    await writeFile(dir, 'not a directory');
    expect(lostReason(before, dirIdentity(dir), false)).toBe('it is no longer a directory');
    await rm(dir);
    await mkdir(dir);
    expect(lostReason(before, dirIdentity(dir), false)).toBe('it was replaced by another directory');
    await rm(dir, { recursive: true });
    await symlink(join(base, 'old'), dir);
    expect(lostReason(before, dirIdentity(dir), false)).toBe(`it was replaced by a symlink to ${join(base, 'old')}`);
  });

  it('a symlink that is retargeted is lost; one that is not stays', async () => {
    await mkdir(join(base, 'v1'));
    await mkdir(join(base, 'v2'));
    const link = join(base, 'jobs.d');
    await symlink(join(base, 'v1'), link);
    const before = present(link);
    expect(lostReason(before, dirIdentity(link), false)).toBeNull();
    await rm(link);
    await symlink(join(base, 'v2'), link);
    expect(lostReason(before, dirIdentity(link), false)).toMatch(/symlink to .*v2$/);
    await rm(link);
    await symlink('nowhere', link);
    expect(dirIdentity(link)).toEqual({ ok: false, reason: 'the directory was removed or moved away' });
  });
});
