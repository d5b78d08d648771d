import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeJob } from '../../../src/job/normalize.js';
import type { Job } from '../../../src/types.js';

const FIXTURES = new URL('../../fixtures/jobs/', import.meta.url);

function normalize(raw: unknown, file = '/jobs/nightly.json') {
  return normalizeJob({ raw, file, defaultZone: null, cwd: '/srv/jobd' });
}

function jobOf(raw: unknown, file?: string): Job {
  const loaded = normalize(raw, file);
  if (!loaded.ok) throw new Error(`expected a valid job, got ${JSON.stringify(loaded.problems)}`);
  return loaded.value;
}

describe('normalizeJob defaults', () => {
  it('fills every default of a minimal job', () => {
    expect(jobOf({ schedule: '@every 90s', command: 'echo hi' })).toEqual({
      id: 'nightly',
      file: '/jobs/nightly.json',
      schedule: { kind: 'interval', everyMs: 90_000 },
      command: { shell: 'echo hi' },
      args: [],
      cwd: '/srv/jobd',
      env: {},
      timeoutMs: null,
      killGraceMs: 5000,
      onTimeout: null, onFailure: null, onSuccess: null,
      overlap: 'skip',
      retries: 0,
      retryDelayMs: 10_000,
      maxRuns: null,
      jitterMs: 0,
      catchUp: false,
      after: [],
      enabled: true,
      maxOutput: 65_536,
      onInterrupted: 'record',
      maxResumes: 3,
    });
  });

  it('keeps every field a file gives, durations in ms and args as text', () => {
    const raw: unknown = JSON.parse(readFileSync(new URL('valid/backup.json', FIXTURES), 'utf8'));
    expect(jobOf(raw, '/jobs/backup.json')).toEqual({
      id: 'backup',
      file: '/jobs/backup.json',
      description: 'Nightly database dump, every field given.',
      schedule: { kind: 'cron', expression: '0 3 * * *', timezone: 'Europe/Paris' },
      command: { argv: ['pg_dump', '--format=custom'] },
      args: ['--file', 'backup.dump', '3', 'true', '', '{"level":9}'],
      cwd: '/var/backups',
      env: { PGHOST: 'localhost' },
      timeoutMs: 5_400_000,
      killGraceMs: 10_000,
      onTimeout: { shell: 'echo "backup timed out" >&2' },
      onFailure: null,
      onSuccess: null,
      overlap: 'queue',
      retries: 2,
      retryDelayMs: 30_000,
      maxRuns: 100,
      jitterMs: 500,
      catchUp: true,
      after: [],
      enabled: false,
      maxOutput: 1024,
      onInterrupted: 'record',
      maxResumes: 3,
    });
  });

  it('issue 12: onLeaseLoss "continue" is kept; "stop" (the default) leaves the job as it was, so its definition hash does not change', () => {
    expect(jobOf({ schedule: '@hourly', command: 'ls', onLeaseLoss: 'continue' }).onLeaseLoss).toBe('continue');
    expect(jobOf({ schedule: '@hourly', command: 'ls', onLeaseLoss: 'stop' })).toEqual(jobOf({ schedule: '@hourly', command: 'ls' }));
  });

  it('resolves a relative cwd against the directory jobd runs in', () => {
    expect(jobOf({ schedule: '@hourly', command: 'ls', cwd: 'data/in' }).cwd).toBe('/srv/jobd/data/in');
    expect(jobOf({ schedule: '@hourly', command: 'ls', cwd: '..' }).cwd).toBe('/srv');
  });

  it('resolves a relative file name against the directory jobd runs in', () => {
    expect(jobOf({ schedule: '@hourly', command: 'ls' }, 'jobs.d/nightly.json').file).toBe('/srv/jobd/jobs.d/nightly.json');
  });

  it('accepts a zero jitter, the default written out', () => {
    expect(jobOf({ schedule: '@hourly', command: 'ls', jitter: 0 }).jitterMs).toBe(0);
    expect(jobOf({ schedule: '@hourly', command: 'ls', jitter: '0s' }).jitterMs).toBe(0);
  });

  it('turns a string command into a shell command and an array into argv', () => {
    expect(jobOf({ schedule: '@hourly', command: ['ls', '-l'] }).command).toEqual({ argv: ['ls', '-l'] });
    expect(jobOf({ schedule: '@hourly', command: 'ls -l | wc' }).command).toEqual({ shell: 'ls -l | wc' });
    expect(jobOf({ schedule: '@hourly', command: 'ls', onTimeout: ['notify', 'late'] }).onTimeout).toEqual({ argv: ['notify', 'late'] });
  });

  it('ignores $schema', () => {
    expect(jobOf({ $schema: 'https://example.com/job.json', schedule: '@hourly', command: 'ls' })).not.toHaveProperty('$schema');
  });
});

describe('normalizeJob ids', () => {
  it('takes the id from the file name without .json', () => {
    expect(jobOf({ schedule: '@hourly', command: 'ls' }, '/jobs/db.backup_v2.json').id).toBe('db.backup_v2');
  });

  it('prefers an id field over the file name', () => {
    expect(jobOf({ id: 'reports', schedule: '@hourly', command: 'ls' }, '/jobs/my job.json').id).toBe('reports');
  });

  it('says when the file name is not a valid id and no id field is given', () => {
    const loaded = normalize({ schedule: '@hourly', command: 'ls' }, '/jobs/my job.json');
    expect(loaded).toEqual({
      ok: false,
      problems: [
        {
          file: '/jobs/my job.json',
          path: 'id',
          message:
            'the file name "my job.json" does not make a valid id (expected letters, digits, "_", "." or "-", ' +
            'starting with a letter or digit, at most 64 characters); set "id" in the file or rename the file',
        },
      ],
    });
  });
});

describe('normalizeJob schedule and after', () => {
  it('requires a schedule unless after is given', () => {
    expect(normalize({ command: 'ls' })).toEqual({
      ok: false,
      problems: [{ file: '/jobs/nightly.json', path: 'schedule', message: 'required (or give "after")' }],
    });
    expect(normalize({ command: 'ls', after: [] }).ok).toBe(false);
  });

  it('runs a job with after and no schedule only after others', () => {
    const job = jobOf({ command: 'ls', after: ['backup', 'vacuum'] });
    expect(job.schedule).toBeNull();
    expect(job.after).toEqual(['backup', 'vacuum']);
  });

  it('keeps a schedule given together with after', () => {
    expect(jobOf({ schedule: '@daily', command: 'ls', after: ['backup'] }).schedule).toMatchObject({ kind: 'cron' });
  });
});
