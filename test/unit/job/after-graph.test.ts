import { describe, expect, it } from 'vitest';
import { afterCycle, afterProblems } from '../../../src/job/after-graph.js';
import type { Job } from '../../../src/types.js';

function job(id: string, after: string[] = []): Job {
  return {
    id, file: `/jobs/${id}.json`, schedule: null, command: { shell: 'true' }, args: [], cwd: '/', env: {},
    timeoutMs: null, killGraceMs: 5000, onTimeout: null, onFailure: null, onSuccess: null, overlap: 'skip', retries: 0, retryDelayMs: 10_000,
    maxRuns: null, jitterMs: 0, catchUp: false, after, enabled: true, maxOutput: 65536,
  };
}

function graph(edges: Record<string, string[]>): (id: string) => string[] | undefined {
  return (id) => edges[id];
}

describe('afterCycle', () => {
  it.each([
    ['a job after itself', { a: ['a'] }, 'a', ['a', 'a']],
    ['two jobs after each other', { a: ['b'], b: ['a'] }, 'a', ['a', 'b', 'a']],
    ['three jobs, from the first', { a: ['b'], b: ['c'], c: ['a'] }, 'a', ['a', 'b', 'c', 'a']],
    ['three jobs, from the middle', { a: ['b'], b: ['c'], c: ['a'] }, 'b', ['b', 'c', 'a', 'b']],
    ['a loop behind a first dependency that has none', { a: ['x', 'b'], b: ['a'], x: [] }, 'a', ['a', 'b', 'a']],
  ])('finds %s', (_name, edges, start, cycle) => {
    expect(afterCycle(start, graph(edges))).toEqual(cycle);
  });

  it.each([
    ['a chain', { a: ['b'], b: ['c'], c: [] }, 'a'],
    ['a diamond', { a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }, 'a'],
    ['a job that only leads into a cycle', { a: ['b'], b: ['c'], c: ['b'] }, 'a'],
    ['an unknown dependency', { a: ['ghost'] }, 'a'],
  ])('finds none in %s', (_name, edges, start) => {
    expect(afterCycle(start, graph(edges))).toBeNull();
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

  it('has nothing to say about a valid chain', () => {
    expect(afterProblems([job('a'), job('b', ['a']), job('c', ['b'])])).toEqual([]);
  });
});
