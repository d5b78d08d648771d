import { describe, expect, it } from 'vitest';
import { claim, decideFire, hasCapacity, type JobActivity } from '../../../src/daemon/policies.js';
import type { Fire, FireDecision, Job, JobRecord, OverlapPolicy, Trigger } from '../../../src/types.js';
import { makeJob, makeRecord } from '../builders.js';



const fire = (trigger: Trigger = 'schedule'): Fire => ({ jobId: 'backup', trigger, scheduledAt: Date.parse('2026-05-01T00:00:00Z') });
const idle: JobActivity = { running: [], waiting: 0 };
const running: JobActivity = { running: ['backup-7'], waiting: 0 };
const runningTwo: JobActivity = { running: ['backup-7', 'backup-8'], waiting: 0 };
const runningAndWaiting: JobActivity = { running: ['backup-7'], waiting: 1 };
const waitingOnly: JobActivity = { running: [], waiting: 1 };

describe('decideFire: overlap policy', () => {
  it.each<[OverlapPolicy, string, JobActivity, FireDecision]>([
    ['skip', 'idle', idle, { action: 'start' }],
    ['queue', 'idle', idle, { action: 'start' }],
    ['allow', 'idle', idle, { action: 'start' }],
    ['replace', 'idle', idle, { action: 'start' }],
    ['skip', 'running', running, { action: 'skip', reason: 'overlap', runningRun: 'backup-7' }],
    ['skip', 'waiting for a slot', waitingOnly, { action: 'skip', reason: 'overlap' }],
    ['queue', 'running', running, { action: 'queue' }],
    ['queue', 'running with one fire queued', runningAndWaiting, { action: 'skip', reason: 'overlap', runningRun: 'backup-7' }],
    ['queue', 'waiting for a slot', waitingOnly, { action: 'skip', reason: 'overlap' }],
    ['allow', 'running', running, { action: 'start' }],
    ['allow', 'running with one fire queued', runningAndWaiting, { action: 'start' }],
    ['replace', 'running', running, { action: 'replace', runningRuns: ['backup-7'] }],
    ['replace', 'running twice', runningTwo, { action: 'replace', runningRuns: ['backup-7', 'backup-8'] }],
    ['replace', 'waiting for a slot', waitingOnly, { action: 'skip', reason: 'overlap' }],
  ])('%s while %s', (overlap, _label, activity, expected) => {
    expect(decideFire(fire(), makeJob({ overlap }), makeRecord(), activity)).toEqual(expected);
  });
});

describe('decideFire: enabled, pause and maxRuns', () => {
  const disabled = makeJob({ enabled: false });
  const paused = makeRecord({ paused: true });
  const capped = makeJob({ maxRuns: 3 });

  it.each<[string, Trigger, Job, JobRecord, JobActivity, FireDecision]>([
    ['a disabled job is not fired by its schedule', 'schedule', disabled, makeRecord(), idle, { action: 'skip', reason: 'disabled' }],
    ['a disabled job is not fired by a dependency', 'after', disabled, makeRecord(), idle, { action: 'skip', reason: 'disabled' }],
    ['a disabled job is not caught up', 'catchup', disabled, makeRecord(), idle, { action: 'skip', reason: 'disabled' }],
    ['a manual trigger runs a disabled job', 'manual', disabled, makeRecord(), idle, { action: 'start' }],
    ['disabled is reported before paused', 'schedule', disabled, paused, idle, { action: 'skip', reason: 'disabled' }],
    ['a paused job is not fired by its schedule', 'schedule', makeJob(), paused, idle, { action: 'skip', reason: 'paused' }],
    ['a paused job is not fired by a dependency', 'after', makeJob(), paused, idle, { action: 'skip', reason: 'paused' }],
    ['a paused job is not retried', 'retry', makeJob(), paused, idle, { action: 'skip', reason: 'paused' }],
    ['a paused job is not caught up', 'catchup', makeJob(), paused, idle, { action: 'skip', reason: 'paused' }],
    ['a manual trigger bypasses pause', 'manual', makeJob(), paused, idle, { action: 'start' }],
    ['a manual trigger on a paused job still obeys overlap', 'manual', makeJob(), paused, running, { action: 'skip', reason: 'overlap', runningRun: 'backup-7' }],
    ['paused is reported before maxRuns', 'schedule', capped, makeRecord({ paused: true, runCount: 3 }), idle, { action: 'skip', reason: 'paused' }],
    ['below maxRuns starts', 'schedule', capped, makeRecord({ runCount: 2 }), idle, { action: 'start' }],
    ['at maxRuns skips', 'schedule', capped, makeRecord({ runCount: 3 }), idle, { action: 'skip', reason: 'maxRuns' }],
    ['beyond maxRuns skips', 'schedule', capped, makeRecord({ runCount: 9 }), idle, { action: 'skip', reason: 'maxRuns' }],
    ['a manual trigger at maxRuns skips', 'manual', capped, makeRecord({ runCount: 3 }), idle, { action: 'skip', reason: 'maxRuns' }],
    ['a dependency at maxRuns skips', 'after', capped, makeRecord({ runCount: 3 }), idle, { action: 'skip', reason: 'maxRuns' }],
    ['a retry of the last counted run still starts', 'retry', capped, makeRecord({ runCount: 3 }), idle, { action: 'start' }],
    ['maxRuns is reported before overlap', 'schedule', capped, makeRecord({ runCount: 3 }), running, { action: 'skip', reason: 'maxRuns' }],
    ['no maxRuns never skips for a count', 'schedule', makeJob(), makeRecord({ runCount: 1_000_000 }), idle, { action: 'start' }],
  ])('%s', (_label, trigger, job, record, activity, expected) => {
    expect(decideFire(fire(trigger), job, record, activity)).toEqual(expected);
  });
});

describe('hasCapacity', () => {
  it.each<[number, number, boolean]>([
    [0, 1, true],
    [1, 1, false],
    [0, 32, true],
    [31, 32, true],
    [32, 32, false],
    [33, 32, false],
  ])('%i running of at most %i → %s', (runningNow, max, expected) => {
    expect(hasCapacity(runningNow, max)).toBe(expected);
  });
});

describe('claim', () => {
  it.each<Trigger>(['schedule', 'manual', 'retry', 'after', 'catchup'])('claims every %s fire on a single node', (trigger) => {
    expect(claim(fire(trigger), null)).toBe(true);
  });

  it('asks the cluster store, and answers what it answers, when there is one', async () => {
    const asked: Fire[] = [];
    const cluster = { claim: async (f: Fire) => (asked.push(f), f.trigger === 'manual') };
    const scheduled = fire('schedule');
    expect(await claim(scheduled, cluster)).toBe(false);
    expect(await claim(fire('manual'), cluster)).toBe(true);
    expect(asked[0]).toBe(scheduled);
  });
});
