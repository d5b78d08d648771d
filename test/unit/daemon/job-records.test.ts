import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, addRun, interruptedRun, isDone, jobState, newRecord, takeRunId } from '../../../src/daemon/job-records.js';
import type { Job, JobRecord, JobState, RunResult, RunningRecord, Schedule, SkippedRun } from '../../../src/types.js';
import { makeJob } from '../builders.js';

function reportJob(overrides: Partial<Job> = {}): Job {
  return makeJob({
    id: 'report', file: '/srv/jobs.d/report.json', schedule: { kind: 'cron', expression: '0 3 * * *', timezone: null },
    command: { argv: ['make-report'] }, ...overrides,
  });
}

const record = (overrides: Partial<JobRecord> = {}): JobRecord => ({ ...newRecord(reportJob()), ...overrides });

function skipped(n: number): SkippedRun {
  return { run: `report-${n}`, job: 'report', trigger: 'schedule', status: 'skipped', scheduledAt: '2026-01-01T00:00:00.000Z', reason: 'overlap' };
}

describe('newRecord', () => {
  it('starts a job with no history, not paused, scheduled', () => {
    const job = reportJob();
    expect(newRecord(job)).toEqual({
      id: 'report', file: '/srv/jobs.d/report.json', definition: job, state: 'scheduled', nextRunAt: null,
      lastFireAt: null, lastStartedAt: null, lastOkAt: null, runCount: 0, runSeq: 0, paused: false, lastRun: null, history: [],
    });
  });
});

describe('takeRunId', () => {
  it('numbers runs <job>-1, <job>-2, … without repeating', () => {
    const r = record();
    expect([takeRunId(r), takeRunId(r), takeRunId(r)]).toEqual(['report-1', 'report-2', 'report-3']);
    expect(r.runSeq).toBe(3);
  });

  it('continues from the counter restored from the state file', () => {
    const r = record({ runSeq: 41, runCount: 12 });
    expect(takeRunId(r)).toBe('report-42');
    expect(r.runCount).toBe(12);
  });
});

describe('addRun', () => {
  it('sets lastRun and appends to history', () => {
    const r = record();
    addRun(r, skipped(1));
    addRun(r, skipped(2));
    expect(r.lastRun).toEqual(skipped(2));
    expect(r.history.map((run) => run.run)).toEqual(['report-1', 'report-2']);
  });

  it(`keeps only the last ${HISTORY_LIMIT} runs, oldest dropped first`, () => {
    const r = record();
    const total = HISTORY_LIMIT + 5;
    for (let n = 1; n <= total; n += 1) addRun(r, skipped(n));
    expect(r.history).toHaveLength(HISTORY_LIMIT);
    expect(r.history[0]?.run).toBe('report-6');
    expect(r.history.at(-1)?.run).toBe(`report-${total}`);
    expect(r.lastRun?.run).toBe(`report-${total}`);
  });

  it('trims a history restored longer than the limit on the next run', () => {
    const r = record({ history: Array.from({ length: HISTORY_LIMIT * 2 }, (_, i) => skipped(i + 1)) });
    addRun(r, skipped(999));
    expect(r.history).toHaveLength(HISTORY_LIMIT);
    expect(r.history.at(-1)?.run).toBe('report-999');
  });
});

const now = Date.parse('2026-06-15T12:00:00.000Z');
const once = (at: string): Schedule => ({ kind: 'once', at });
const past = once('2026-06-15T11:59:59.000Z');
const future = once('2026-06-15T12:00:01.000Z');
const exactlyNow = once('2026-06-15T12:00:00.000Z');

describe('isDone', () => {
  it.each<[string, Partial<Job>, Partial<JobRecord>, boolean]>([
    ['cron job', {}, {}, false],
    ['interval job with many runs', { schedule: { kind: 'interval', everyMs: 1_000 } }, { runCount: 500 }, false],
    ['after-only job', { schedule: null, after: ['a'] }, { runCount: 3 }, false],
    ['below maxRuns', { maxRuns: 3 }, { runCount: 2 }, false],
    ['at maxRuns', { maxRuns: 3 }, { runCount: 3 }, true],
    ['beyond maxRuns (lowered in the file)', { maxRuns: 1 }, { runCount: 3 }, true],
    ['one-shot in the future, never fired', { schedule: future }, {}, false],
    ['one-shot in the past, never fired', { schedule: past }, {}, true],
    ['one-shot due exactly now', { schedule: exactlyNow }, {}, true],
    ['one-shot in the future that already fired', { schedule: future }, { lastFireAt: '2026-06-15T11:00:00.000Z' }, true],
  ])('%s → %s', (_label, job, rec, expected) => {
    expect(isDone(reportJob(job), record(rec), now)).toBe(expected);
  });
});

describe('jobState', () => {
  it.each<[string, Partial<Job>, Partial<JobRecord>, number, JobState]>([
    ['idle cron job', {}, {}, 0, 'scheduled'],
    ['running', {}, {}, 1, 'running'],
    ['running while paused', {}, { paused: true }, 2, 'running'],
    ['running while disabled (manual run)', { enabled: false }, {}, 1, 'running'],
    ['running its last allowed run', { maxRuns: 1 }, { runCount: 1 }, 1, 'running'],
    ['disabled', { enabled: false }, {}, 0, 'disabled'],
    ['disabled and paused', { enabled: false }, { paused: true }, 0, 'disabled'],
    ['paused', {}, { paused: true }, 0, 'paused'],
    ['paused and done', { maxRuns: 1 }, { paused: true, runCount: 1 }, 0, 'paused'],
    ['maxRuns reached', { maxRuns: 2 }, { runCount: 2 }, 0, 'done'],
    ['one-shot that ran', { schedule: past }, { lastFireAt: '2026-06-15T11:59:59.000Z' }, 0, 'done'],
    ['one-shot still to come', { schedule: future }, {}, 0, 'scheduled'],
  ])('%s → %s', (_label, job, rec, running, expected) => {
    expect(jobState(reportJob(job), record(rec), running, now)).toBe(expected);
  });
});

describe('interruptedRun', () => {
  const running: RunningRecord = {
    run: 'report-4', job: 'report', pid: 4242, startedAt: '2026-06-15T11:00:00.000Z',
    trigger: 'manual', scheduledAt: '2026-06-15T10:59:59.500Z',
  };

  it('records the run as interrupted at the given instant, keeping what was known of it', () => {
    expect(interruptedRun(running, '2026-06-15T11:00:02.250Z')).toEqual<RunResult>({
      run: 'report-4', job: 'report', trigger: 'manual', status: 'interrupted',
      scheduledAt: '2026-06-15T10:59:59.500Z', startedAt: '2026-06-15T11:00:00.000Z', endedAt: '2026-06-15T11:00:02.250Z',
      durationMs: 2_250, pid: 4242, exitCode: null, signal: null,
      error: 'jobd stopped while the run was in progress', stdout: '', stderr: '',
    });
  });

  it('fills trigger and scheduledAt for a record written without them', () => {
    const old = { run: 'report-4', job: 'report', pid: null, startedAt: '2026-06-15T11:00:00.000Z' } as RunningRecord;
    const result = interruptedRun(old, '2026-06-15T11:00:01.000Z');
    expect(result).toMatchObject({ trigger: 'schedule', scheduledAt: '2026-06-15T11:00:00.000Z', pid: null, durationMs: 1_000 });
  });

  it.each([
    ['ended before it started (clock set back)', '2026-06-15T11:00:00.000Z', '2026-06-15T10:00:00.000Z'],
    ['unreadable start time', 'yesterday', '2026-06-15T11:00:00.000Z'],
    ['unreadable end time', '2026-06-15T11:00:00.000Z', ''],
  ])('never reports a negative or unknown duration: %s', (_label, startedAt, endedAt) => {
    expect(interruptedRun({ ...running, startedAt }, endedAt).durationMs).toBe(0);
  });
});
