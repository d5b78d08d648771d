import { describe, expect, it } from 'vitest';
import { toSnapshot } from '../../../src/state/snapshot.js';
import { stringifySnapshot } from '../../../src/state/stringify-snapshot.js';
import type { JobRecord, RunningRecord } from '../../../src/types.js';
import { makeJob } from '../builders.js';

const recordOf = (id: string): JobRecord => ({
  id, file: `/srv/jobs.d/${id}.json`, definition: makeJob({ id, env: { A: '(hidden)' } }), state: 'scheduled',
  nextRunAt: '2026-06-03T01:00:00.000Z', lastFireAt: null, lastStartedAt: null, lastOkAt: null, runCount: 0, runSeq: 0,
  paused: false, lastRun: null, history: [],
});
const running: RunningRecord = {
  run: 'j1-1', job: 'j1', pid: 42, startedAt: '2026-06-03T01:00:00.000Z', trigger: 'schedule', scheduledAt: '2026-06-03T01:00:00.000Z',
};

describe('stringifySnapshot', () => {
  it.each([0, 1, 499, 500, 501, 1_234])('gives exactly JSON.stringify of a snapshot of %i jobs', async (count) => {
    const jobs = Array.from({ length: count }, (_, i) => recordOf(`j${i}`));
    const snapshot = toSnapshot(jobs, count > 0 ? [running] : [], new Date('2026-06-03T01:00:00.500Z'));
    expect(await stringifySnapshot(snapshot)).toBe(JSON.stringify(snapshot));
  });

  it('lets timers run between slices of a big snapshot', async () => {
    const snapshot = toSnapshot(Array.from({ length: 2_000 }, (_, i) => recordOf(`j${i}`)), [], new Date());
    let ticks = 0;
    const counting = setInterval(() => (ticks += 1), 0);
    const pending = stringifySnapshot(snapshot);
    await pending;
    clearInterval(counting);
    expect(ticks).toBeGreaterThan(0);
  });
});
