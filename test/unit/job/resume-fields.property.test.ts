import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeJob } from '../../../src/job/normalize.js';
import type { Job, Loaded } from '../../../src/types.js';

const FILE = '/srv/jobs.d/export.json';
const BASE = { schedule: '@daily', command: 'export.sh' };

function load(fields: Record<string, unknown>): Loaded<Job> {
  const started = performance.now();
  const loaded = normalizeJob({ raw: { ...BASE, ...fields }, file: FILE, defaultZone: 'UTC', cwd: '/srv' });
  expect(performance.now() - started).toBeLessThan(1_000);
  return loaded;
}

const validPolicy = (value: unknown): boolean => value === 'record' || value === 'resume';
const validCount = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 100;

describe('onInterrupted and maxResumes (issue 16)', () => {
  it('issue 16: default to "record" and 3', () => {
    const loaded = load({});
    expect(loaded.ok && [loaded.value.onInterrupted, loaded.value.maxResumes]).toEqual(['record', 3]);
  });

  it.each([
    [{ onInterrupted: 'retry' }, 'onInterrupted: expected one of record, resume, got "retry"'],
    [{ maxResumes: -1 }, 'maxResumes: expected an integer from 0 to 100, got -1'],
    [{ maxResumes: 1.5 }, 'maxResumes: expected an integer from 0 to 100, got 1.5'],
    [{ maxResumes: '3' }, 'maxResumes: expected an integer from 0 to 100, got "3"'],
  ])('issue 16: %j is refused with one line naming the field and what was expected', (fields, line) => {
    const loaded = load(fields);
    expect(loaded.ok ? [] : loaded.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([line]);
  });

  it('issue 16: any value never throws; valid ones are kept, invalid ones are a problem on their own field', () => {
    const policy = fc.oneof(fc.constantFrom('record', 'resume', 'Resume', ''), fc.jsonValue({ maxDepth: 2 }));
    const count = fc.oneof(fc.integer({ min: -5, max: 200 }), fc.double(), fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(policy, count, (onInterrupted, maxResumes) => {
        const loaded = load({ onInterrupted, maxResumes });
        const bad = [...(validPolicy(onInterrupted) ? [] : ['onInterrupted']), ...(validCount(maxResumes) ? [] : ['maxResumes'])];
        if (loaded.ok) {
          expect(bad).toEqual([]);
          expect([loaded.value.onInterrupted, loaded.value.maxResumes]).toEqual([onInterrupted, maxResumes]);
          return;
        }
        expect(loaded.problems.map((p) => p.path.split('.')[0])).toEqual(bad);
        for (const problem of loaded.problems) expect(problem.message).toMatch(/^expected /);
      }),
      { numRuns: 300 },
    );
  });
});
