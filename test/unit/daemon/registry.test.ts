import { describe, expect, it } from 'vitest';
import { activeJobs, applyJobFile, createRegistry, hasFile, invalidFiles, jobById } from '../../../src/daemon/registry.js';
import type { Job } from '../../../src/types.js';
import { A, B, jobAt, valid, problem, invalid, registryWith } from './registry-builders.js';

describe('applyJobFile: one file', () => {
  it('adds a new valid job', () => {
    const registry = createRegistry();
    const job = jobAt(A);
    expect(applyJobFile(registry, A, valid(job))).toEqual([{ kind: 'added', job }]);
    expect(jobById(registry, 'backup')).toBe(job);
    expect(activeJobs(registry)).toEqual([job]);
    expect(hasFile(registry, A)).toBe(true);
    expect(invalidFiles(registry)).toEqual([]);
  });

  it('calls the same definition unchanged, even with keys in another order', () => {
    const registry = registryWith(jobAt(A, { env: { A: '1', B: '2' } }));
    const again = jobAt(A, { env: { B: '2', A: '1' } });
    expect(applyJobFile(registry, A, valid(again))).toEqual([{ kind: 'unchanged', job: again }]);
  });

  it.each<[string, Partial<Job>]>([
    ['command', { command: { shell: 'pg_dump other' } }],
    ['schedule', { schedule: { kind: 'interval', everyMs: 30_000 } }],
    ['env value', { env: { PGHOST: 'db' } }],
    ['enabled', { enabled: false }],
    ['after', { after: ['other'] }],
  ])('reports an update of the %s with the previous version', (_label, overrides) => {
    const before = jobAt(A);
    const registry = registryWith(before);
    const after = jobAt(A, overrides);
    expect(applyJobFile(registry, A, valid(after))).toEqual([{ kind: 'updated', job: after, previous: before }]);
    expect(jobById(registry, 'backup')).toBe(after);
  });

  it('removes the job of a deleted file', () => {
    const job = jobAt(A);
    const registry = registryWith(job);
    expect(applyJobFile(registry, A, null)).toEqual([{ kind: 'removed', job }]);
    expect(jobById(registry, 'backup')).toBeUndefined();
    expect(activeJobs(registry)).toEqual([]);
    expect(hasFile(registry, A)).toBe(false);
  });

  it('ignores the deletion of a file it never saw', () => {
    const registry = registryWith(jobAt(A));
    expect(applyJobFile(registry, B, null)).toEqual([]);
    expect(activeJobs(registry)).toHaveLength(1);
  });

  it('treats a changed id as the old job removed and a new one added', () => {
    const old = jobAt(A);
    const registry = registryWith(old);
    const renamed = jobAt(A, { id: 'dump' });
    expect(applyJobFile(registry, A, valid(renamed))).toEqual([{ kind: 'removed', job: old }, { kind: 'added', job: renamed }]);
    expect(jobById(registry, 'backup')).toBeUndefined();
    expect(jobById(registry, 'dump')).toBe(renamed);
  });
});

describe('applyJobFile: invalid files', () => {
  it('knows an invalid new file but runs nothing from it', () => {
    const registry = createRegistry();
    expect(applyJobFile(registry, A, invalid(A))).toEqual([{ kind: 'invalid', file: A, problems: [problem(A)], keeping: null }]);
    expect(hasFile(registry, A)).toBe(true);
    expect(activeJobs(registry)).toEqual([]);
    expect(invalidFiles(registry)).toEqual([problem(A)]);
  });

  it('keeps the last valid version while the file is invalid, then takes it back unchanged', () => {
    const job = jobAt(A);
    const registry = registryWith(job);
    expect(applyJobFile(registry, A, invalid(A))).toEqual([{ kind: 'invalid', file: A, problems: [problem(A)], keeping: job }]);
    expect(jobById(registry, 'backup')).toBe(job);
    expect(invalidFiles(registry)).toEqual([problem(A)]);
    const same = jobAt(A);
    expect(applyJobFile(registry, A, valid(same))).toEqual([{ kind: 'unchanged', job: same }]);
    expect(invalidFiles(registry)).toEqual([]);
  });

  it('updates from the last valid version when a fixed file differs from it', () => {
    const job = jobAt(A);
    const registry = registryWith(job);
    applyJobFile(registry, A, invalid(A));
    const fixed = jobAt(A, { retries: 3 });
    expect(applyJobFile(registry, A, valid(fixed))).toEqual([{ kind: 'updated', job: fixed, previous: job }]);
  });

  it('lists only the problems in force now, for every invalid file', () => {
    const registry = registryWith(jobAt(A));
    applyJobFile(registry, A, invalid(A));
    applyJobFile(registry, B, { ok: false, problems: [problem(B, 'one'), problem(B, 'two')] });
    applyJobFile(registry, A, invalid(A));
    expect(invalidFiles(registry)).toEqual([problem(A), problem(B, 'one'), problem(B, 'two')]);
  });

  it('forgets an invalid file once it is deleted', () => {
    const registry = createRegistry();
    applyJobFile(registry, B, invalid(B));
    expect(applyJobFile(registry, B, null)).toEqual([]);
    expect(hasFile(registry, B)).toBe(false);
    expect(invalidFiles(registry)).toEqual([]);
  });

  it('removes the kept version when an invalid file is deleted', () => {
    const job = jobAt(A);
    const registry = registryWith(job);
    applyJobFile(registry, A, invalid(A));
    expect(applyJobFile(registry, A, null)).toEqual([{ kind: 'removed', job }]);
    expect(invalidFiles(registry)).toEqual([]);
  });
});
