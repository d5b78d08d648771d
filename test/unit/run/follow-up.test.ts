import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFollowUp, runHookCommand } from '../../../src/run/follow-up.js';
import { localSpawner } from '../../../src/run/local-spawner.js';
import type { FollowUpRecord } from '../../../src/types.js';
import { isRunning } from '../../helpers/process.js';
import { makeTempDir, readPidFile, type TempDir } from '../../helpers/temp-dir.js';
import { fixture } from './helpers.js';

let temp: TempDir;
beforeEach(async () => {
  temp = await makeTempDir('jobd-followup-');
});
afterEach(async () => {
  await temp.cleanup();
});

function record(run: number): FollowUpRecord {
  return {
    time: '2026-03-04T05:06:07.089Z',
    job: 'sample',
    run: `sample-${run}`,
    reason: 'timeout',
    timeoutMs: 1_000,
    elapsedMs: 1_000.5,
    pid: 4242,
    command: `echo ${'x'.repeat(2_000)}`,
    signal: 'SIGTERM',
  };
}

describe('appendFollowUp', () => {
  it('creates parent directories and appends whole lines, even when many come at once', async () => {
    const path = temp.path('a', 'b', 'followups.log');
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => appendFollowUp(path, record(i))));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(50);
    const runs = lines.map((line) => (JSON.parse(line) as FollowUpRecord).run).sort();
    expect(runs).toEqual(Array.from({ length: 50 }, (_, i) => `sample-${i}`).sort());
  });

  it('returns the problem instead of throwing', async () => {
    await writeFile(temp.path('file'), '');
    const outcome = await appendFollowUp(temp.path('file', 'sub', 'followups.log'), record(1));
    expect(outcome).toEqual({ ok: false, message: expect.stringMatching(/^cannot write the follow-up log: E[A-Z]+/) });
  });
});

describe('runHookCommand', () => {
  const base = { hook: 'onTimeout' as const, args: [], env: { JOBD_REASON: 'timeout' }, limitMs: 60_000 };

  it('resolves with the exit code, with the given env and cwd', async () => {
    const command = { shell: 'test "$JOBD_REASON" = timeout && test -f marker && exit 7' };
    await writeFile(temp.path('marker'), '');
    expect(await runHookCommand(localSpawner, { ...base, command, cwd: temp.dir })).toEqual({ ok: true, exitCode: 7 });
  });

  it('names a program that cannot be found', async () => {
    const outcome = await runHookCommand(localSpawner, { ...base, command: { argv: ['jobd-no-such-hook'] }, cwd: temp.dir });
    expect(outcome).toEqual({ ok: false, message: 'onTimeout command not found: jobd-no-such-hook' });
  });

  it('kills the whole group at the limit', async () => {
    const pidFile = temp.path('pids', 'grandchild');
    const command = { argv: [fixture('spawn-grandchild.sh'), pidFile] };
    const started = Date.now();
    const outcome = await runHookCommand(localSpawner, { ...base, command, cwd: temp.dir, limitMs: 500 });
    expect(outcome).toEqual({ ok: false, message: 'onTimeout command ran longer than 500 ms and was killed' });
    expect(Date.now() - started).toBeLessThan(10_000);
    const [grandchild] = await readPidFile(pidFile);
    expect(grandchild).toBeGreaterThan(0);
    expect(isRunning(grandchild!)).toBe(false);
  });

  it('issue 14: reports each line and the end (exit code, duration), and the end of one that could not start or was killed', async () => {
    const seen: unknown[] = [];
    const observer = { onHookOutput: (hook: string, o: unknown) => seen.push([hook, o]), onHookEnd: (hook: string, e: unknown) => seen.push([hook, 'end', e]) };
    await runHookCommand(localSpawner, { ...base, command: { shell: 'echo one; echo two >&2; exit 5' }, cwd: temp.dir }, observer);
    expect(seen).toEqual([
      ['onTimeout', { stream: 'stdout', line: 'one' }],
      ['onTimeout', { stream: 'stderr', line: 'two' }],
      ['onTimeout', 'end', { exitCode: 5, signal: null, durationMs: expect.any(Number) }],
    ]);
    seen.length = 0;
    await runHookCommand(localSpawner, { ...base, command: { argv: ['jobd-no-such-hook'] }, cwd: temp.dir }, observer);
    expect(seen).toEqual([['onTimeout', 'end', { exitCode: null, signal: null, durationMs: expect.any(Number), error: 'onTimeout command not found: jobd-no-such-hook' }]]);
    seen.length = 0;
    await runHookCommand(localSpawner, { ...base, command: { shell: 'sleep 30' }, cwd: temp.dir, limitMs: 300 }, observer);
    expect(seen).toEqual([['onTimeout', 'end', expect.objectContaining({ exitCode: null, signal: 'SIGKILL', error: 'onTimeout command ran longer than 300 ms and was killed' })]]);
  });
});
