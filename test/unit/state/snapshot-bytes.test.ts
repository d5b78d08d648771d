import { describe, expect, it } from 'vitest';
import { toSnapshot } from '../../../src/state/snapshot.js';
import { snapshotBytes } from '../../../src/state/snapshot-bytes.js';
import type { JobRecord, RunResult, RunningRecord } from '../../../src/types.js';
import { makeJob } from '../builders.js';

const recordOf = (id: string): JobRecord => ({
  id, file: `/srv/jobs.d/${id}.json`, definition: makeJob({ id, env: { A: '(hidden)' } }), state: 'scheduled',
  nextRunAt: '2026-06-03T01:00:00.000Z', lastFireAt: null, lastStartedAt: null, lastOkAt: null, runCount: 0, runSeq: 0,
  paused: false, lastRun: null, history: [],
});
const running: RunningRecord = {
  run: 'j1-1', job: 'j1', pid: 42, startedAt: '2026-06-03T01:00:00.000Z', trigger: 'schedule', scheduledAt: '2026-06-03T01:00:00.000Z',
};

const ok: RunResult = {
  run: 'j-1', job: 'j', trigger: 'schedule', status: 'ok', scheduledAt: '2026-06-01T01:00:00.000Z', startedAt: '2026-06-01T01:00:00.010Z',
  endedAt: '2026-06-01T01:00:01.210Z', durationMs: 1_200, pid: 321, exitCode: 0, signal: null, stdout: 'done\n', stderr: '',
};

describe('snapshotBytes', () => {
  it.each([0, 1, 499, 500, 501, 1_234])('gives exactly the bytes of JSON.stringify of a snapshot of %i jobs, and a newline', async (count) => {
    const jobs = Array.from({ length: count }, (_, i) => recordOf(`j${i}`));
    const snapshot = toSnapshot({ jobs, running: count > 0 ? [running] : [], savedAt: new Date('2026-06-03T01:00:00.500Z') });
    expect(Buffer.concat(await snapshotBytes(snapshot)).toString('utf8')).toBe(`${JSON.stringify(snapshot)}\n`);
  });

  it('issue 14: gives the bytes of JSON.stringify of a snapshot that names its jobs directory', async () => {
    const snapshot = toSnapshot({ jobs: [recordOf('j')], running: [running], savedAt: new Date(0), jobsDir: '/srv/"jobs".d' });
    expect(Buffer.concat(await snapshotBytes(snapshot)).toString('utf8')).toBe(`${JSON.stringify(snapshot)}\n`);
  });

  it('gives the bytes of JSON.stringify for entries with a history, a lastRun and fields left undefined', async () => {
    const run = (n: number) => ({ ...ok, run: `j-${n}`, stdout: `line ${n}\n"quoted" é\u0000` });
    const jobs = [{ ...recordOf('j'), lastRun: run(3), history: [run(1), run(2), run(3)], problems: undefined }, recordOf('k')];
    const snapshot = toSnapshot({ jobs, running: [], savedAt: new Date('2026-06-03T01:00:00.500Z') });
    expect(Buffer.concat(await snapshotBytes(snapshot)).toString('utf8')).toBe(`${JSON.stringify(snapshot)}\n`);
  });

  it('lets timers run between slices of a big snapshot', async () => {
    const history = (id: string) => Array.from({ length: 20 }, (_, n) => ({ ...ok, run: `${id}-${n}` }));
    const snapshot = toSnapshot({ jobs: Array.from({ length: 5_000 }, (_, i) => ({ ...recordOf(`j${i}`), history: history(`j${i}`) })), running: [], savedAt: new Date() });
    let ticks = 0;
    const counting = setInterval(() => (ticks += 1), 0);
    const pending = snapshotBytes(snapshot);
    await pending;
    clearInterval(counting);
    expect(ticks).toBeGreaterThan(0);
  });
});
