import { describe, expect, it } from 'vitest';
import { afterCycles, afterProblems, idsOnCycles } from '../../../src/job/after-graph.js';
import type { Job } from '../../../src/types.js';

function job(id: string, after: string[] = []): Job {
  return {
    id, file: `/jobs/${id}.json`, schedule: null, command: { shell: 'true' }, args: [], cwd: '/', env: {},
    timeoutMs: null, killGraceMs: 5000, onTimeout: null, onFailure: null, onSuccess: null, overlap: 'skip', retries: 0, retryDelayMs: 10_000,
    maxRuns: null, jitterMs: 0, catchUp: false, after, enabled: true, maxOutput: 65536, onInterrupted: 'record', maxResumes: 3,
  };
}

function graph(edges: Record<string, string[]>): Map<string, string[]> {
  return new Map(Object.entries(edges));
}

describe('afterCycles', () => {
  it.each([
    ['a job after itself', { a: ['a'] }, [['a']]],
    ['two jobs after each other', { a: ['b'], b: ['a'] }, [['a', 'b']]],
    ['three jobs', { a: ['b'], b: ['c'], c: ['a'] }, [['a', 'b', 'c']]],
    ['a loop behind a first dependency that has none', { a: ['x', 'b'], b: ['a'], x: [] }, [['a', 'b']]],
    ['two separate loops', { a: ['b'], b: ['a'], c: ['d'], d: ['c'] }, [['a', 'b'], ['c', 'd']]],
  ])('finds %s', (_name, edges, cycles) => {
    expect(afterCycles(graph(edges)).map((members) => [...members].sort())).toEqual(cycles);
  });

  it.each([
    ['a chain', { a: ['b'], b: ['c'], c: [] }],
    ['a diamond', { a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }],
    ['an unknown dependency', { a: ['ghost'] }],
  ])('finds none in %s', (_name, edges) => {
    expect(afterCycles(graph(edges))).toEqual([]);
  });

  it('leaves out a job that only leads into a cycle', () => {
    expect([...idsOnCycles(graph({ a: ['b'], b: ['c'], c: ['b'] }))].sort()).toEqual(['b', 'c']);
  });

  it('issue 11.19: walks a 100,000-job chain and a 100,000-job loop without recursion, in linear time', () => {
    const n = 100_000;
    const chain = new Map(Array.from({ length: n }, (_, i) => [`j${i}`, i === 0 ? [] : [`j${i - 1}`]]));
    const loop = new Map(Array.from({ length: n }, (_, i) => [`j${i}`, [`j${(i + n - 1) % n}`]]));
    const started = performance.now();
    expect(afterCycles(chain)).toEqual([]);
    expect(afterCycles(loop)[0]).toHaveLength(n);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('afterProblems', () => {
  it('names each unknown id at its index', () => {
    expect(afterProblems([job('a', ['b', 'ghost']), job('b')])).toEqual([
      { file: '/jobs/a.json', path: 'after.1', message: 'no job has the id "ghost"' },
    ]);
  });

  it('names the cycle for every job on it', () => {
    const problems = afterProblems([job('a', ['b']), job('b', ['a']), job('c', ['a'])]);
    expect(problems).toEqual([
      { file: '/jobs/a.json', path: 'after', message: 'cycle: a → b → a' },
      { file: '/jobs/b.json', path: 'after', message: 'cycle: b → a → b' },
    ]);
  });

  it('names the loop through each job of a three-job cycle, starting from that job', () => {
    const problems = afterProblems([job('a', ['b']), job('b', ['c']), job('c', ['a'])]);
    expect(problems.map((p) => p.message)).toEqual(['cycle: a → b → c → a', 'cycle: b → c → a → b', 'cycle: c → a → b → c']);
  });

  it('issue 11.19: cuts the loop of a 5,000-job cycle short, in linear time', () => {
    const n = 5_000;
    const jobs = Array.from({ length: n }, (_, i) => job(`j${i}`, [`j${(i + 1) % n}`]));
    const started = performance.now();
    const problems = afterProblems(jobs);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(problems).toHaveLength(n);
    expect(problems[0]!.message).toBe(`cycle: j0 → j1 → j2 → j3 → j4 → j5 → … → j4995 → j4996 → j4997 → j4998 → j4999 → j0 (${n} jobs)`);
    expect(problems[7]!.message).toMatch(/^cycle: j7 → j8 → j9 → j10 → j11 → j12 → … → j2 → j3 → j4 → j5 → j6 → j7 \(5000 jobs\)$/);
  });

  it('has nothing to say about a valid chain', () => {
    expect(afterProblems([job('a'), job('b', ['a']), job('c', ['b'])])).toEqual([]);
  });
});
