import { describe, expect, it } from 'vitest';
import { HISTORY_OUTPUT_BYTES, withOutputTail, withoutPastOutput } from '../../../src/state/output-tail.js';
import { toSnapshot } from '../../../src/state/snapshot.js';
import { makeRecord } from '../builders.js';
import type { RunResult, SkippedRun } from '../../../src/types.js';

const run = (stdout: string, stderr = ''): RunResult => ({
  run: 'j-1', job: 'j', trigger: 'schedule', status: 'ok', scheduledAt: '2026-06-01T01:00:00.000Z', startedAt: '2026-06-01T01:00:00.010Z',
  endedAt: '2026-06-01T01:00:01.210Z', durationMs: 1_200, pid: 321, exitCode: 0, signal: null, stdout, stderr,
});

describe('withOutputTail', () => {
  it('gives back the run itself when its output fits', () => {
    const small = run('done\n');
    expect(withOutputTail(small, 64)).toBe(small);
  });

  it('issue 11.4: keeps the last bytes of each stream, the same object on every call', () => {
    const big = run(`${'a'.repeat(100)}END`, 'e'.repeat(10));
    const cut = withOutputTail(big, 8);
    expect(cut).toEqual({ ...big, stdout: 'aaaaaEND', stderr: 'eeeeeeee' });
    expect(withOutputTail(big, 8)).toBe(cut);
    expect(big.stdout).toHaveLength(103);
  });

  it('never starts inside a character', () => {
    const cut = withOutputTail(run('ééééé'), 5);
    expect(cut.stdout).toBe('éé');
  });

  it('leaves skipped runs and null alone', () => {
    const skipped: SkippedRun = { run: 'j-2', job: 'j', trigger: 'schedule', status: 'skipped', scheduledAt: '2026-06-01T01:00:00.000Z', reason: 'overlap' };
    expect(withOutputTail(skipped, 1)).toBe(skipped);
    expect(withOutputTail(null, 1)).toBeNull();
  });
});

describe('withoutPastOutput', () => {
  it('issue 11.4: drops the output of past runs and keeps the last 64 KiB of lastRun, leaving the snapshot itself alone', () => {
    const last = run('x'.repeat(HISTORY_OUTPUT_BYTES + 10));
    const snapshot = toSnapshot({ jobs: [makeRecord({ lastRun: last, history: [run('old'), last] })], running: [], savedAt: new Date(0) });
    const smaller = withoutPastOutput(snapshot);
    expect(smaller.jobs[0]?.history.map((r) => (r as RunResult).stdout)).toEqual(['', '']);
    expect((smaller.jobs[0]?.lastRun as RunResult).stdout).toHaveLength(HISTORY_OUTPUT_BYTES);
    expect(snapshot.jobs[0]?.lastRun).toBe(last);
  });
});
