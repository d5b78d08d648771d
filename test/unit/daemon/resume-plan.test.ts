import { describe, expect, it } from 'vitest';
import { interruptedRun, isDone, jobState } from '../../../src/daemon/job-records.js';
import { awaitsResume, planResumes } from '../../../src/daemon/resume-plan.js';
import type { Job, JobRecord, RunRecord, RunResult } from '../../../src/types.js';
import { makeJob, makeRecord } from '../builders.js';

const AT = '2026-03-01T02:00:00.000Z';

function interrupted(run: string, resumeCount?: number): RunResult {
  const running = { run, job: 'export', pid: 10, startedAt: AT, trigger: 'schedule' as const, scheduledAt: AT };
  return interruptedRun(resumeCount === undefined ? running : { ...running, resumeOf: 'export-1', resumeCount }, AT);
}

function ended(run: string, status: 'ok' | 'failed'): RunResult {
  const { error: _error, ...rest } = interrupted(run);
  return { ...rest, status, exitCode: status === 'ok' ? 0 : 1 };
}
const skipped = (run: string): RunRecord => ({ run, job: 'export', trigger: 'schedule', status: 'skipped', scheduledAt: AT, reason: 'overlap' });

const job = (overrides: Partial<Job> = {}): Job => makeJob({ id: 'export', onInterrupted: 'resume', ...overrides });
const withHistory = (history: RunRecord[], overrides: Partial<JobRecord> = {}): JobRecord =>
  makeRecord({ id: 'export', history, lastRun: history.at(-1) ?? null, runCount: history.length, runSeq: history.length, ...overrides });
const plan = (j: Job, record: JobRecord) => planResumes({ jobs: [j], records: new Map([[j.id, record]]) });

describe('planResumes (issue 16)', () => {
  it('issue 16: resumes the interrupted last run of a job with onInterrupted "resume", as the first resume', () => {
    expect(plan(job(), withHistory([ended('export-1', 'ok'), interrupted('export-2')]))).toEqual({
      resume: [{ job: 'export', resumeOf: 'export-2', resumeCount: 1 }],
      held: [],
    });
  });

  it('issue 16: a resumed run interrupted again is resumed again, counting on', () => {
    expect(plan(job(), withHistory([interrupted('export-1'), interrupted('export-2', 2)])).resume).toEqual([
      { job: 'export', resumeOf: 'export-2', resumeCount: 3 },
    ]);
  });

  it.each([
    ['the default "record"', job({ onInterrupted: 'record' }), withHistory([interrupted('export-1')])],
    ['a last run that ended ok', job(), withHistory([interrupted('export-1'), ended('export-2', 'ok')])],
    ['a last run that failed', job(), withHistory([interrupted('export-1'), ended('export-2', 'failed')])],
    ['no run yet', job(), withHistory([])],
  ])('issue 16: nothing to resume or hold with %s', (_name, j, record) => {
    expect(plan(j, record)).toEqual({ resume: [], held: [] });
  });

  it('issue 16: skips after the interruption are not runs: it is still owed', () => {
    expect(plan(job(), withHistory([interrupted('export-1'), skipped('export-2')])).resume).toEqual([
      { job: 'export', resumeOf: 'export-1', resumeCount: 1 },
    ]);
  });

  it.each([
    ['maxResumes reached', job({ maxResumes: 2 }), withHistory([interrupted('export-3', 2)]), 'maxResumes'],
    ['maxResumes 0', job({ maxResumes: 0 }), withHistory([interrupted('export-1')]), 'maxResumes'],
    ['maxRuns reached (a resume is a run)', job({ maxRuns: 1 }), withHistory([interrupted('export-1')]), 'maxRuns'],
    ['a disabled job', job({ enabled: false }), withHistory([interrupted('export-1')]), 'disabled'],
    ['a paused job', job(), withHistory([interrupted('export-1')], { paused: true }), 'paused'],
  ])('issue 16: holds the run with %s', (_name, j, record, reason) => {
    const last = record.history.at(-1)!;
    expect(plan(j, record)).toEqual({ resume: [], held: [{ job: 'export', run: last.run, reason }] });
  });

  it('issue 16: decides per job, over every job given; a job without a record is left alone', () => {
    const other = makeJob({ id: 'other', onInterrupted: 'resume' });
    const records = new Map([['export', withHistory([interrupted('export-1')])]]);
    expect(planResumes({ jobs: [job(), other], records }).resume.map((r) => r.job)).toEqual(['export']);
  });
});

describe('an interrupted one-shot with "resume" (issue 16)', () => {
  const once = job({ schedule: { kind: 'once', at: AT } });
  const now = Date.parse(AT) + 3_600_000;

  it('issue 16: is not done while a resume is owed', () => {
    const record = withHistory([interrupted('export-1')], { lastFireAt: AT });
    expect(awaitsResume(once, record)).toBe(true);
    expect(isDone(once, record, now)).toBe(false);
    expect(jobState(once, record, 0, now)).toBe('scheduled');
  });

  it('issue 16: is done once a run of it completed, or when no resume is left', () => {
    expect(isDone(once, withHistory([interrupted('export-1'), ended('export-2', 'ok')], { lastFireAt: AT }), now)).toBe(true);
    expect(isDone(once, withHistory([interrupted('export-4', 3)], { lastFireAt: AT }), now)).toBe(true);
    expect(isDone(job({ schedule: once.schedule, onInterrupted: 'record' }), withHistory([interrupted('export-1')], { lastFireAt: AT }), now)).toBe(true);
  });
});
