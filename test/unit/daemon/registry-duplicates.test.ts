import { describe, expect, it } from 'vitest';
import { activeJobs, applyJobFile, createRegistry, hasFile, invalidFiles, jobById, type RegistryChange } from '../../../src/daemon/registry.js';
import type { Job, Loaded } from '../../../src/types.js';
import { A, B, C, jobAt, valid, invalid, registryWith } from './registry-builders.js';

/** The change kinds with the job id or file each is about, for compact assertions. */
const summary = (changes: RegistryChange[]): string[] =>
  changes.map((c) => (c.kind === 'invalid' ? `invalid ${c.file}` : c.kind === 'duplicate' ? `duplicate ${c.job.id} ${c.file}` : `${c.kind} ${c.job.id} ${c.job.file}`));

describe('applyJobFile: duplicate ids', () => {
  it('keeps the id with the first file and refuses the second, naming both', () => {
    const first = jobAt(A);
    const registry = registryWith(first);
    const second = jobAt(B, { command: { shell: 'other' } });
    expect(applyJobFile(registry, B, valid(second))).toEqual([{ kind: 'duplicate', job: second, file: B, keptFile: A }]);
    expect(jobById(registry, 'backup')).toBe(first);
    expect(activeJobs(registry)).toEqual([first]);
    expect(hasFile(registry, B)).toBe(true);
    expect(invalidFiles(registry)).toEqual([]);
  });

  it('hands the id to the waiting file when the holder is deleted', () => {
    const registry = registryWith(jobAt(A), jobAt(B));
    const changes = applyJobFile(registry, A, null);
    expect(summary(changes)).toEqual([`removed backup ${A}`, `added backup ${B}`]);
    expect(jobById(registry, 'backup')?.file).toBe(B);
  });

  it('hands the id to the waiting file when the holder changes id', () => {
    const registry = registryWith(jobAt(A), jobAt(B));
    const changes = applyJobFile(registry, A, valid(jobAt(A, { id: 'dump' })));
    expect(summary(changes)).toEqual([`removed backup ${A}`, `added backup ${B}`, `added dump ${A}`]);
    expect(jobById(registry, 'backup')?.file).toBe(B);
    expect(jobById(registry, 'dump')?.file).toBe(A);
  });

  it('gives the id to the first waiting file by name, then to the next', () => {
    const registry = registryWith(jobAt(B), jobAt(C), jobAt(A));
    expect(summary(applyJobFile(registry, B, null))).toEqual([`removed backup ${B}`, `added backup ${A}`]);
    expect(summary(applyJobFile(registry, A, null))).toEqual([`removed backup ${A}`, `added backup ${C}`]);
    expect(summary(applyJobFile(registry, C, null))).toEqual([`removed backup ${C}`]);
    expect(jobById(registry, 'backup')).toBeUndefined();
  });

  it('promotes the latest content of the waiting file', () => {
    const registry = registryWith(jobAt(A), jobAt(B));
    const edited = jobAt(B, { retries: 4 });
    expect(summary(applyJobFile(registry, B, valid(edited)))).toEqual([`duplicate backup ${B}`]);
    applyJobFile(registry, A, null);
    expect(jobById(registry, 'backup')).toBe(edited);
  });

  it('leaves the waiting file waiting while the holder only changes', () => {
    const registry = registryWith(jobAt(A), jobAt(B));
    expect(summary(applyJobFile(registry, A, valid(jobAt(A))))).toEqual([`unchanged backup ${A}`]);
    expect(summary(applyJobFile(registry, A, valid(jobAt(A, { retries: 1 }))))).toEqual([`updated backup ${A}`]);
    expect(jobById(registry, 'backup')?.file).toBe(A);
  });

  it('keeps the id with its holder while the holder is invalid', () => {
    const registry = registryWith(jobAt(A), jobAt(B));
    applyJobFile(registry, A, invalid(A));
    expect(jobById(registry, 'backup')?.file).toBe(A);
    expect(summary(applyJobFile(registry, B, valid(jobAt(B))))).toEqual([`duplicate backup ${B}`]);
  });

  it.each<[string, Loaded<Job> | null]>([
    ['is deleted', null],
    ['becomes invalid', invalid(B)],
  ])('promotes nothing when the waiting file %s', (_label, content) => {
    const registry = registryWith(jobAt(A), jobAt(B));
    applyJobFile(registry, B, content);
    expect(summary(applyJobFile(registry, A, null))).toEqual([`removed backup ${A}`]);
    expect(activeJobs(registry)).toEqual([]);
  });

  it('starts the waiting file at once when it changes to a free id', () => {
    const registry = registryWith(jobAt(A), jobAt(B));
    expect(summary(applyJobFile(registry, B, valid(jobAt(B, { id: 'dump' }))))).toEqual([`added dump ${B}`]);
    expect(summary(applyJobFile(registry, A, null))).toEqual([`removed backup ${A}`]);
    expect(activeJobs(registry).map((job) => job.id)).toEqual(['dump']);
  });

  it('keeps a file\'s job running when its new id is taken, like an invalid edit', () => {
    const registry = registryWith(jobAt(A), jobAt(B, { id: 'dump' }));
    const clash = jobAt(B, { id: 'backup' });
    expect(applyJobFile(registry, B, valid(clash))).toEqual([{ kind: 'duplicate', job: clash, file: B, keptFile: A }]);
    expect(jobById(registry, 'dump')?.file).toBe(B);
    expect(summary(applyJobFile(registry, A, null))).toEqual([`removed backup ${A}`, `removed dump ${B}`, `added backup ${B}`]);
    expect(activeJobs(registry)).toEqual([clash]);
  });
});

describe('activeJobs', () => {
  it('lists every job in force in file order, without invalid or waiting files', () => {
    const registry = createRegistry();
    applyJobFile(registry, A, valid(jobAt(A, { id: 'one' })));
    applyJobFile(registry, B, invalid(B));
    applyJobFile(registry, C, valid(jobAt(C, { id: 'one' })));
    applyJobFile(registry, '/srv/jobs.d/d.json', valid(jobAt('/srv/jobs.d/d.json', { id: 'two' })));
    expect(activeJobs(registry).map((job) => `${job.id} ${job.file}`)).toEqual([`one ${A}`, 'two /srv/jobs.d/d.json']);
  });
});
