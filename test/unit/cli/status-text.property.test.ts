import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statusTable } from '../../../src/cli/status.js';
import { jobStatusText, type JobDetail } from '../../../src/cli/status-job.js';
import { localStamp } from '../../../src/format/local-time.js';
import { runOutcome } from '../../../src/format/run-outcome.js';
import type { DaemonStatus, RunRecord } from '../../../src/types.js';

const instant = fc.oneof(fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'not a date' : d.toISOString())), fc.string());
const record: fc.Arbitrary<RunRecord> = fc.oneof(
  fc.record({
    run: fc.string(), job: fc.string(), trigger: fc.constantFrom('schedule', 'manual', 'retry', 'after', 'catchup'),
    status: fc.constantFrom('ok', 'failed', 'timeout', 'cancelled', 'interrupted'), scheduledAt: instant, startedAt: instant, endedAt: instant,
    durationMs: fc.double(), pid: fc.option(fc.integer()), exitCode: fc.option(fc.integer()), signal: fc.option(fc.string()),
    stdout: fc.string({ maxLength: 300 }), stderr: fc.string({ maxLength: 300 }), node: fc.option(fc.string(), { nil: undefined }),
  }),
  fc.record({ run: fc.string(), job: fc.string(), trigger: fc.constant('schedule'), status: fc.constant('skipped'), scheduledAt: instant, reason: fc.string() }),
) as fc.Arbitrary<RunRecord>;

describe('status text of what a daemon answers', () => {
  it('issue 14: the table, one job and run outcomes never throw, whatever the records hold, in bounded time', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 25 }), fc.option(instant, { nil: null }), fc.double(), (history, nextRunAt, now) => {
        const job = { id: 'a', file: '/j/a.json', state: 'scheduled' as const, schedule: '@every 1h', scheduleWords: 'every hour', nextRunAt, lastRun: history.at(-1) ?? null, runCount: history.length, running: [] as string[] };
        const detail: JobDetail = { ...job, definition: null, history };
        const status = { pid: 1, version: '1', startedAt: '', uptimeMs: now, jobsDir: '/j', counts: {}, jobs: [job], running: [], invalidFiles: [] } as unknown as DaemonStatus;
        const started = performance.now();
        expect(typeof jobStatusText(detail, now, true)).toBe('string');
        expect(typeof statusTable(status, now, true)).toBe('string');
        for (const r of history) expect(runOutcome(r).length).toBeGreaterThan(0);
        expect(typeof localStamp(now)).toBe('string');
        expect(performance.now() - started).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });

  it('issue 14: a reply from a daemon that leaves lists out still prints', () => {
    const partial = { id: 'a', file: '/j/a.json', state: 'scheduled', schedule: null, nextRunAt: null, lastRun: null, runCount: 0 } as unknown as JobDetail;
    expect(jobStatusText(partial, 0)).toContain('No runs yet.');
  });
});
