import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockStateFile } from '../../../src/state/state-lock.js';

let dir: string;
let stateFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jobd-state-lock-'));
  stateFile = join(dir, 'jobs_state.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lockStateFile', () => {
  it('issue 11.12: holds the state file until released, refusing a second holder by pid', async () => {
    const first = await lockStateFile(stateFile);
    expect(first.ok).toBe(true);
    expect(JSON.parse(await readFile(`${stateFile}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
    const second = await lockStateFile(stateFile);
    expect(second).toEqual({ ok: false, message: expect.stringContaining(`in use by another jobd (pid ${process.pid}`) });
    if (first.ok) await first.release();
    expect(await readdir(dir)).toEqual([]);
    const third = await lockStateFile(stateFile);
    expect(third.ok).toBe(true);
    if (third.ok) await third.release();
  });

  it.each([
    ['a pid that is gone', JSON.stringify({ pid: 2 ** 22 + 12_345, start: '1' })],
    ['a live pid with another start time', JSON.stringify({ pid: process.pid, start: '1' })],
    ['garbage', 'not a lock'],
    ['nothing', ''],
  ])('issue 11.12: takes over a stale lock holding %s', async (_label, content) => {
    await writeFile(`${stateFile}.lock`, content);
    const lock = await lockStateFile(stateFile);
    expect(lock.ok).toBe(true);
    expect(JSON.parse(await readFile(`${stateFile}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
    expect((await readdir(dir)).sort()).toEqual(['jobs_state.json.lock']);
  });

  it('takes over a FIFO in the lock\'s place instead of waiting on it', async () => {
    execFileSync('mkfifo', [`${stateFile}.lock`]);
    expect((await lockStateFile(stateFile)).ok).toBe(true);
  });

  it('says why it cannot take a lock in a missing directory, naming the lock', async () => {
    const lock = await lockStateFile(join(dir, 'missing', 'jobs_state.json'));
    expect(lock).toEqual({ ok: false, message: `${join(dir, 'missing', 'jobs_state.json.lock')}: cannot take the state file's lock: no such file or directory (ENOENT)` });
  });
});

// EPERM: alive, and another user's.
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

describe('lockStateFile (property)', () => {
  it('issue 11.12: whatever a lock file holds, it never throws: the lock is taken, or refused naming a live pid', async () => {
    const content = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? '')),
      fc.record({ pid: fc.oneof(fc.integer(), fc.double(), fc.string()), start: fc.jsonValue() }).map((value) => Buffer.from(JSON.stringify(value))),
    );
    await fc.assert(
      fc.asyncProperty(content, async (bytes) => {
        await writeFile(`${stateFile}.lock`, bytes);
        const lock = await lockStateFile(stateFile);
        if (lock.ok) {
          await lock.release();
          return;
        }
        const pid = Number(/pid (\d+)/.exec(lock.message)?.[1]);
        expect(isAlive(pid), lock.message).toBe(true);
        await rm(`${stateFile}.lock`, { force: true });
      }),
      { numRuns: 150 },
    );
  });
});
