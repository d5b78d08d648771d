import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DaemonContext } from '../../../src/daemon/context.js';
import { addRun, newRecord } from '../../../src/daemon/job-records.js';
import { applyJobFile, createRegistry } from '../../../src/daemon/registry.js';
import { prepareEntries, snapshotOf } from '../../../src/daemon/snapshot-of.js';
import { snapshotBytes } from '../../../src/state/snapshot-bytes.js';
import type { Job, JobRecord, RunResult } from '../../../src/types.js';
import { makeJob } from '../builders.js';

function contextOf(jobs: Job[]): DaemonContext {
  const registry = createRegistry();
  const records = new Map<string, JobRecord>();
  for (const job of jobs) {
    applyJobFile(registry, job.file, { ok: true, value: job });
    records.set(job.id, newRecord(job));
  }
  return { registry, records, running: new Map(), config: { jobsDir: 'jobs.d' } } as unknown as DaemonContext;
}

const jobNamed = (id: string, overrides: Partial<Job> = {}): Job => makeJob({ id, file: `/srv/jobs.d/${id}.json`, ...overrides });

const okRun = (job: string, n: number): RunResult => ({
  run: `${job}-${n}`, job, trigger: 'schedule', status: 'ok', scheduledAt: '2026-06-03T01:00:00.000Z',
  startedAt: '2026-06-03T01:00:00.010Z', endedAt: '2026-06-03T01:00:00.020Z', durationMs: 10, pid: 7, exitCode: 0,
  signal: null, stdout: '', stderr: '',
});

describe('snapshotOf', () => {
  it('hands out the same entry for a job that has not changed, a new one for a job that has', () => {
    const ctx = contextOf([jobNamed('a'), jobNamed('b', { env: { TOKEN: 'secret' } })]);
    const first = snapshotOf(ctx);
    const second = snapshotOf(ctx);
    expect(second.jobs[0]).toBe(first.jobs[0]);
    expect(second.jobs[1]).toBe(first.jobs[1]);
    expect(second.jobs[1]!.definition!.env).toEqual({ TOKEN: '(hidden)' });
    // The jobs directory as an absolute path, so another start on the state file can tell it from its own.
    expect(first.jobsDir).toBe(resolve('jobs.d'));

    ctx.records.get('a')!.runCount += 1;
    const third = snapshotOf(ctx);
    expect(third.jobs[0]).not.toBe(first.jobs[0]);
    expect(third.jobs[0]!.runCount).toBe(1);
    expect(third.jobs[1]).toBe(first.jobs[1]);

    addRun(ctx.records.get('b')!, okRun('b', 1));
    const fourth = snapshotOf(ctx);
    expect(fourth.jobs[1]).not.toBe(first.jobs[1]);
    expect(fourth.jobs[1]!.history.map((r) => r.run)).toEqual(['b-1']);
  });

  it('a history at its limit that moves on by one run is a change', () => {
    const ctx = contextOf([jobNamed('a')]);
    const record = ctx.records.get('a')!;
    for (let n = 1; n <= 20; n += 1) addRun(record, okRun('a', n));
    const before = snapshotOf(ctx);
    addRun(record, okRun('a', 21));
    const after = snapshotOf(ctx);
    expect(after.jobs[0]).not.toBe(before.jobs[0]);
    expect(after.jobs[0]!.history).toHaveLength(20);
    expect(after.jobs[0]!.history.at(-1)!.run).toBe('a-21');
  });

  it('the state file text follows every change, entry reuse or not', async () => {
    const ctx = contextOf(Array.from({ length: 1_200 }, (_, i) => jobNamed(`j${i}`)));
    const text = async (): Promise<string> => Buffer.concat(await snapshotBytes(snapshotOf(ctx))).toString('utf8');
    const plain = (): string => JSON.stringify(snapshotOf(ctx));
    await text();
    ctx.records.get('j7')!.paused = true;
    ctx.records.get('j1100')!.nextRunAt = '2027-01-01T00:00:00.000Z';
    const saved = JSON.parse(await text()) as { jobs: JobRecord[] };
    expect(saved.jobs[7]!.paused).toBe(true);
    expect(saved.jobs[1100]!.nextRunAt).toBe('2027-01-01T00:00:00.000Z');
    expect(JSON.parse(await text())).toEqual({ ...JSON.parse(plain()), savedAt: expect.any(String) as unknown });
  });

  it('preparing entries during the load changes nothing saved, and a change after preparing still shows', async () => {
    const ctx = contextOf([jobNamed('a', { description: 'café ☕' }), jobNamed('b'), jobNamed('c')]);
    prepareEntries(ctx, ['a', 'b', 'gone']);
    ctx.records.get('b')!.runCount = 3;
    const snapshot = snapshotOf(ctx);
    expect(snapshotOf(ctx).jobs[0]).toBe(snapshot.jobs[0]);
    const saved = JSON.parse(Buffer.concat(await snapshotBytes(snapshot)).toString('utf8')) as { jobs: JobRecord[] };
    expect(saved.jobs.map((job) => [job.id, job.runCount, job.definition?.description])).toEqual([
      ['a', 0, 'café ☕'], ['b', 3, undefined], ['c', 0, undefined],
    ]);
  });
});
