import { describe, expect, it } from 'vitest';
import { parseSnapshot, toSnapshot } from '../../../src/state/snapshot.js';
import type { Job, JobRecord, RunResult, RunningRecord, SkippedRun } from '../../../src/types.js';
import { makeJob } from '../builders.js';

function fullJob(overrides: Partial<Job> = {}): Job {
  return makeJob({
    description: 'nightly dump', schedule: { kind: 'cron', expression: '0 3 * * *', timezone: 'Europe/Paris' },
    command: { shell: 'pg_dump "$1"' }, args: ['main'], env: { PGHOST: 'db' }, timeoutMs: 600_000,
    onTimeout: { argv: ['notify', 'timeout'] }, overlap: 'queue', retries: 2, catchUp: true, ...overrides,
  });
}

const ok: RunResult = {
  run: 'backup-3', job: 'backup', trigger: 'schedule', status: 'ok',
  scheduledAt: '2026-06-01T01:00:00.000Z', startedAt: '2026-06-01T01:00:00.010Z', endedAt: '2026-06-01T01:00:01.210Z',
  durationMs: 1_200, pid: 321, exitCode: 0, signal: null, stdout: 'done\n', stderr: '',
};
const skipped: SkippedRun = {
  run: 'backup-4', job: 'backup', trigger: 'schedule', status: 'skipped', scheduledAt: '2026-06-02T01:00:00.000Z', reason: 'overlap',
};
const record: JobRecord = {
  id: 'backup', file: '/srv/jobs.d/backup.json', definition: fullJob(), state: 'scheduled',
  nextRunAt: '2026-06-03T01:00:00.000Z', lastFireAt: '2026-06-02T01:00:00.000Z', lastStartedAt: null, lastOkAt: null, runCount: 3, runSeq: 4,
  paused: true, lastRun: skipped, history: [ok, skipped],
};
const afterOnly: JobRecord = {
  id: 'report', file: '/srv/jobs.d/report.json', definition: null, state: 'invalid',
  nextRunAt: null, lastFireAt: null, lastStartedAt: null, lastOkAt: null, runCount: 0, runSeq: 0, paused: false, lastRun: null, history: [],
};
const running: RunningRecord = {
  run: 'backup-5', job: 'backup', pid: 999, startedAt: '2026-06-03T01:00:00.000Z', trigger: 'manual', scheduledAt: '2026-06-03T01:00:00.000Z',
};

describe('toSnapshot', () => {
  it('builds a version 1 document stamped with the save time', () => {
    expect(toSnapshot({ jobs: [record], running: [running], savedAt: new Date('2026-06-03T01:00:00.500Z') })).toEqual({
      version: 1, savedAt: '2026-06-03T01:00:00.500Z', jobs: [record], running: [running],
    });
  });
});

describe('parseSnapshot', () => {
  it('reads back what toSnapshot wrote', () => {
    const snapshot = toSnapshot({ jobs: [record, afterOnly], running: [running], savedAt: new Date('2026-06-03T01:00:00.500Z') });
    expect(parseSnapshot(JSON.stringify(snapshot, null, 2))).toEqual({ ok: true, snapshot });
  });

  it('issue 14: reads back the jobs directory; a file without one reads as before; one over 4096 characters is refused', () => {
    const snapshot = toSnapshot({ jobs: [record], running: [], savedAt: new Date('2026-06-03T01:00:00.500Z'), jobsDir: '/srv/jobs.d' });
    expect(Object.keys(snapshot)).toEqual(['version', 'savedAt', 'jobsDir', 'jobs', 'running']);
    expect(parseSnapshot(JSON.stringify(snapshot))).toEqual({ ok: true, snapshot });
    const without = parseSnapshot(JSON.stringify({ version: 1, savedAt: snapshot.savedAt, jobs: [record], running: [] }));
    expect(without.ok && 'jobsDir' in without.snapshot).toBe(false);
    expect(parseSnapshot(JSON.stringify({ ...snapshot, jobsDir: `/${'x'.repeat(4096)}` }))).toEqual({ ok: false, reason: 'jobsDir: expected at most 4096 characters, got 4097' });
    expect(parseSnapshot(JSON.stringify({ ...snapshot, jobsDir: 7 }))).toEqual({ ok: false, reason: 'jobsDir: expected a non-empty string, got 7' });
  });

  it('reads an empty state', () => {
    const snapshot = toSnapshot({ jobs: [], running: [], savedAt: new Date(0) });
    expect(parseSnapshot(JSON.stringify(snapshot))).toEqual({ ok: true, snapshot });
  });

  it('fills what a minimal record leaves out', () => {
    const parsed = parseSnapshot(JSON.stringify({ version: 1, jobs: [{ id: 'a', runCount: 7 }] }));
    expect(parsed).toEqual({
      ok: true,
      snapshot: {
        version: 1, savedAt: '1970-01-01T00:00:00.000Z', running: [],
        jobs: [{
          id: 'a', file: '', definition: null, state: 'scheduled', nextRunAt: null, lastFireAt: null, lastStartedAt: null, lastOkAt: null,
          runCount: 7, runSeq: 7, paused: false, lastRun: null, history: [],
        }],
      },
    });
  });

  it('issue 11.3: refuses a value nested 10,000 deep, in a field jobd knows or one it does not', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const inKnown = `{"version": 1, "jobs": [{"id": "a", "runCount": 0, "lastRun": ${deep}}]}`;
    expect(parseSnapshot(inKnown)).toEqual({ ok: false, reason: 'jobs.0.lastRun: expected an object, got an array' });
    const inUnknown = `{"version": 1, "jobs": [{"id": "a", "runCount": 0, "lastRun": null, "extra": {"x": ${deep}}}]}`;
    expect(parseSnapshot(inUnknown)).toEqual({ ok: false, reason: 'jobs.0.extra: expected a value nested at most 16 levels deep' });
  });

  it('issue 11.3: refuses "definition": {} and a definition whose env is not strings', () => {
    const withDefinition = (definition: unknown) => JSON.stringify({ version: 1, jobs: [{ ...record, definition }] });
    expect(parseSnapshot(withDefinition({}))).toEqual({ ok: false, reason: 'jobs.0.definition.id: expected a non-empty string, got nothing' });
    const badEnv = parseSnapshot(withDefinition({ ...fullJob(), env: { A: 1 } }));
    expect(badEnv).toEqual({ ok: false, reason: 'jobs.0.definition.env.A: expected a string, got 1' });
  });

  it('keeps fields it does not know, for whoever added them', () => {
    const text = JSON.stringify({ version: 1, jobs: [], running: [{ ...running, marker: { boot: 'abc', pgid: 999 } }] });
    const parsed = parseSnapshot(text);
    expect(parsed.ok && parsed.snapshot.running[0]).toEqual({ ...running, marker: { boot: 'abc', pgid: 999 } });
  });

  it('issue 11.3: refuses running entries and history items that are not records', () => {
    const withHistory = JSON.stringify({ version: 1, jobs: [{ ...record, history: [ok, 'garbage', skipped] }], running: [] });
    expect(parseSnapshot(withHistory)).toEqual({ ok: false, reason: 'jobs.0.history.1: expected an object, got "garbage"' });
    const withRunning = JSON.stringify({ version: 1, jobs: [record], running: [running, { run: 'x' }] });
    expect(parseSnapshot(withRunning)).toEqual({ ok: false, reason: 'running.1.job: expected a non-empty string, got nothing' });
  });

  it.each<[string, string, string | RegExp]>([
    ['empty file', '', /^not valid JSON: /],
    ['half-written file', '{"version": 1, "jobs": [', /^not valid JSON: /],
    ['plain text', 'hello', /^not valid JSON: /],
    ['null', 'null', 'expected a JSON object'],
    ['an array', '[]', 'expected a JSON object'],
    ['a number', '1', 'expected a JSON object'],
    ['no version', '{"jobs": []}', 'version: expected 1, got nothing'],
    ['version 2', '{"version": 2, "jobs": []}', 'version: expected 1, got 2'],
    ['version as a string', '{"version": "1", "jobs": []}', 'version: expected 1, got "1"'],
    ['no jobs', '{"version": 1}', 'jobs: expected an array, got nothing'],
    ['jobs an object', '{"version": 1, "jobs": {}}', 'jobs: expected an array, got an object'],
    ['running an object', '{"version": 1, "jobs": [], "running": {}}', 'running: expected an array, got an object'],
    ['record missing id', '{"version": 1, "jobs": [{"id": "a", "runCount": 0}, {"runCount": 1}]}', 'jobs.1.id: expected a non-empty string, got nothing'],
    ['record with a numeric id', '{"version": 1, "jobs": [{"id": 7, "runCount": 1}]}', 'jobs.0.id: expected a non-empty string, got 7'],
    ['record missing runCount', '{"version": 1, "jobs": [{"id": "a"}]}', 'jobs.0.runCount: expected an integer ≥ 0, got nothing'],
    ['record that is a string', '{"version": 1, "jobs": ["a"]}', 'jobs.0: expected an object, got "a"'],
  ])('refuses %s, saying why', (_label, text, reason) => {
    const parsed = parseSnapshot(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    if (typeof reason === 'string') expect(parsed.reason).toBe(reason);
    else expect(parsed.reason).toMatch(reason);
  });
});

describe('resume links in the state file (issue 16)', () => {
  const resumed: RunResult = { ...ok, run: 'backup-6', trigger: 'resume', status: 'interrupted', resumeOf: 'backup-5', resumeCount: 1 };
  const resuming: RunningRecord = { ...running, run: 'backup-7', trigger: 'resume', resumeOf: 'backup-6', resumeCount: 2 };
  const linked: JobRecord = { ...record, definition: fullJob({ onInterrupted: 'resume', maxResumes: 5 }), lastRun: resumed, history: [ok, resumed] };

  it('issue 16: keeps resumeOf and resumeCount of runs and running runs, and the job fields', () => {
    const text = JSON.stringify(toSnapshot({ jobs: [linked], running: [resuming], savedAt: new Date('2026-06-03T01:00:00.500Z') }));
    const parsed = parseSnapshot(text);
    expect(parsed.ok && parsed.snapshot.jobs[0]).toEqual(linked);
    expect(parsed.ok && parsed.snapshot.running).toEqual([resuming]);
  });

  it('issue 16: refuses a resume count that is not a whole number, naming where', () => {
    const text = JSON.stringify(toSnapshot({ jobs: [linked], running: [{ ...resuming, resumeCount: -1 }], savedAt: new Date() }));
    expect(parseSnapshot(text)).toMatchObject({ ok: false, reason: expect.stringContaining('resumeCount') });
  });
});
