import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeJob } from '../../../src/job/normalize.js';

const FIXTURES = new URL('../../fixtures/jobs/', import.meta.url);
const FILE = '/jobs/sync.json';

function normalize(raw: unknown) {
  return normalizeJob({ raw, file: FILE, defaultZone: null, cwd: '/srv' });
}

function problemsOf(raw: unknown): string[] {
  const loaded = normalize(raw);
  return loaded.ok ? [] : loaded.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
}

describe('interval and unit form', () => {
  it('normalises to the same job as the canonical schedule', () => {
    const compatible = normalize(fixture('compatible/interval-form.json'));
    const canonical = normalize({
      id: 'sync',
      schedule: { every: 5, unit: 'minutes' },
      command: 'rsync -a "$1" /mnt/mirror/',
      args: ['/srv/data'],
    });
    expect(compatible.ok).toBe(true);
    expect(compatible).toEqual(canonical);
    expect(compatible.ok && compatible.value.schedule).toEqual({ kind: 'interval', everyMs: 300_000 });
  });

  it.each([
    [{ interval: 0, unit: 'minutes' }, 'interval: expected an integer from 1 to 1000000, got 0'],
    [{ interval: 1_000_001, unit: 'minutes' }, 'interval: expected an integer from 1 to 1000000, got 1000001'],
    [{ interval: 2.5, unit: 'hours' }, 'interval: expected an integer from 1 to 1000000, got 2.5'],
    [{ interval: '5', unit: 'hours' }, 'interval: expected an integer from 1 to 1000000, got "5"'],
    [{ interval: 5, unit: 'weeks' }, 'unit: expected one of seconds, minutes, hours, days, got "weeks"'],
    [{ interval: 5 }, 'unit: required; expected one of seconds, minutes, hours, days'],
    [{ unit: 'days' }, 'interval: required; expected an integer from 1 to 1000000'],
  ])('rejects %j', (fields, problem) => {
    expect(problemsOf({ ...fields, command: 'ls' })).toEqual([problem]);
  });

  it('does not take a schedule as well', () => {
    expect(problemsOf({ interval: 5, unit: 'minutes', schedule: '@hourly', command: 'ls' })).toEqual([
      'schedule: not allowed together with "interval" and "unit"; give either "schedule" or "interval" and "unit"',
    ]);
  });
});

describe('job_id and task form', () => {
  it('normalises to the same job as the canonical fields', () => {
    const compatible = normalize(fixture('compatible/task-form.json'));
    const canonical = normalize({
      id: 'cleanup',
      schedule: '0 3 * * *',
      command: 'find /tmp/cache -mtime +7 -delete',
      timeout: 60,
    });
    expect(compatible.ok).toBe(true);
    expect(compatible).toEqual(canonical);
    expect(compatible.ok && compatible.value.id).toBe('cleanup');
  });

  it('takes the id from the file name when job_id is left out', () => {
    const loaded = normalize({ schedule: '@hourly', task: { type: 'execute_command', command: ['ls'] } });
    expect(loaded.ok && loaded.value).toMatchObject({ id: 'sync', command: { argv: ['ls'] } });
  });

  it('checks the task and points into it', () => {
    const raw = { job_id: 'cleanup', schedule: '@hourly', task: { type: 'run', command: ['rm', ''], comand: 'x' } };
    expect(problemsOf(raw)).toEqual([
      'task.type: expected "execute_command", got "run"',
      'task.command.1: expected a non-empty string, got ""',
      'task.comand: unknown field (did you mean "command"?)',
    ]);
  });

  it('requires the task', () => {
    expect(problemsOf({ job_id: 'cleanup', schedule: '@hourly' })).toEqual([
      'task: required; expected an object like {"type": "execute_command", "command": "..."}',
    ]);
  });

  it('says which canonical fields the form replaces', () => {
    const raw = { job_id: 'a', id: 'b', command: 'ls', schedule: '@hourly', task: { type: 'execute_command', command: 'ls' } };
    expect(problemsOf(raw)).toEqual([
      'id: not allowed together with "task"; use "job_id"',
      'command: not allowed together with "task"; put the command in "task.command"',
    ]);
  });

  it('requires a schedule unless after is given, like the canonical form', () => {
    expect(problemsOf({ job_id: 'a', task: { type: 'execute_command', command: 'ls' } })).toEqual([
      'schedule: required (or give "after")',
    ]);
  });
});
