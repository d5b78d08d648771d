import { describe, expect, it } from 'vitest';
import { dependentsReady } from '../../../src/daemon/after.js';
import { HISTORY_LIMIT, addRun, newRecord } from '../../../src/daemon/job-records.js';
import { applyJobFile, createRegistry, type Registry } from '../../../src/daemon/registry.js';
import type { Job, JobRecord, RunResult, RunStatus } from '../../../src/types.js';
import { makeJob } from '../builders.js';

function jobWithId(id: string, overrides: Partial<Job> = {}): Job {
  return makeJob({ id, file: `/srv/jobs.d/${id}.json`, schedule: null, command: { shell: `echo ${id}` }, ...overrides });
}

/** Jobs by `id: after` pairs, e.g. `{ a: [], b: ['a'] }`. */
function registryOf(graph: Record<string, string[]>, overrides: Record<string, Partial<Job>> = {}): Registry {
  const registry = createRegistry();
  for (const [id, after] of Object.entries(graph)) {
    const job = jobWithId(id, { after, ...overrides[id] });
    applyJobFile(registry, job.file, { ok: true, value: job });
  }
  return registry;
}

const minute = (n: number): string => new Date(Date.UTC(2026, 4, 1, 0, n)).toISOString();

/** A run of `job` that started at minute `start` and ended one minute later. */
function run(job: string, start: number, status: Exclude<RunStatus, 'skipped'> = 'ok'): RunResult {
  return {
    run: `${job}-${start}`, job, trigger: 'schedule', status, scheduledAt: minute(start), startedAt: minute(start),
    endedAt: minute(start + 1), durationMs: 60_000, pid: 100, exitCode: status === 'ok' ? 0 : 1, signal: null, stdout: '', stderr: '',
  };
}

/** Records whose histories hold these runs, in order. */
function recordsOf(...runs: RunResult[]): Map<string, JobRecord> {
  const records = new Map<string, JobRecord>();
  for (const job of ['a', 'b', 'c', 'd']) records.set(job, newRecord(jobWithId(job)));
  for (const r of runs) addRun(records.get(r.job)!, r);
  return records;
}

describe('dependentsReady', () => {
  const chain = registryOf({ a: [], b: ['a'] });
  const both = registryOf({ a: [], b: [], c: ['a', 'b'] });

  it.each<[string, Registry, RunResult[], string, string[]]>([
    ['b after a, once a is ok', chain, [run('a', 0)], 'a', ['b']],
    ['b after a, not when a failed', chain, [run('a', 0, 'failed')], 'a', []],
    ['b after a, not when a timed out', chain, [run('a', 0, 'timeout')], 'a', []],
    ['b after a, a ok again since b ran', chain, [run('a', 0), run('b', 2), run('a', 5)], 'a', ['b']],
    ['b after a, a ok before b last started', chain, [run('b', 0), run('a', 2), run('b', 5), run('a', 6, 'failed')], 'a', []],
    ['nothing lists a job that no one follows', chain, [run('b', 0)], 'b', []],
    ['c after a and b, only a ok', both, [run('a', 0)], 'a', []],
    ['c after a and b, both ok', both, [run('a', 0), run('b', 3)], 'b', ['c']],
    ['c after a and b, either may finish last', both, [run('b', 0), run('a', 3)], 'a', ['c']],
    ['c after a and b, a ok before c last started', both, [run('a', 0), run('c', 2), run('b', 4)], 'b', []],
    ['c after a and b, a ok again after c ran', both, [run('a', 0), run('c', 2), run('b', 4), run('a', 6)], 'a', ['c']],
    ['c after a and b, b failed last but was ok since c ran', both, [run('a', 0), run('b', 2), run('b', 4, 'failed')], 'a', ['c']],
  ])('%s', (_label, registry, runs, finished, expected) => {
    expect(dependentsReady(registry, recordsOf(...runs), finished)).toEqual(expected);
  });

  it('lists every ready dependent, in file order', () => {
    const registry = registryOf({ a: [], c: ['a'], b: ['a'], d: ['b'] });
    expect(dependentsReady(registry, recordsOf(run('a', 0)), 'a')).toEqual(['c', 'b']);
  });

  it('ignores skipped fires when finding the dependent\'s last start', () => {
    const registry = registryOf({ a: [], b: ['a'] });
    const records = recordsOf(run('b', 0), run('a', 2));
    addRun(records.get('b')!, { run: 'b-9', job: 'b', trigger: 'after', status: 'skipped', scheduledAt: minute(9), reason: 'paused' });
    expect(dependentsReady(registry, records, 'a')).toEqual(['b']);
  });

  it('never fires a disabled dependent', () => {
    const registry = registryOf({ a: [], b: ['a'] }, { b: { enabled: false } });
    expect(dependentsReady(registry, recordsOf(run('a', 0)), 'a')).toEqual([]);
  });

  it.each<[string, Record<string, string[]>, string]>([
    ['a job after itself', { a: ['a'] }, 'a'],
    ['two jobs after each other', { a: ['b'], b: ['a'] }, 'a'],
    ['a three-job loop', { a: ['c'], b: ['a'], c: ['b'] }, 'a'],
  ])('never fires jobs in a cycle: %s', (_label, graph, finished) => {
    const registry = registryOf(graph);
    const runs = Object.keys(graph).map((id, i) => run(id, i * 2));
    expect(dependentsReady(registry, recordsOf(...runs), finished)).toEqual([]);
  });

  it('still fires a job that follows a cycle without being in it', () => {
    const registry = registryOf({ a: ['b'], b: ['a'], c: ['a'] });
    expect(dependentsReady(registry, recordsOf(run('a', 0)), 'a')).toEqual(['c']);
  });

  it(`remembers a dependency's ok run after ${HISTORY_LIMIT} later failures`, () => {
    const registry = registryOf({ a: [], b: [], c: ['a', 'b'] });
    const failures = Array.from({ length: HISTORY_LIMIT }, (_, i) => run('a', 10 + i * 2, 'failed'));
    const records = recordsOf(run('a', 0), ...failures, run('b', 100));
    expect(dependentsReady(registry, records, 'b')).toEqual(['c']);
  });
});
