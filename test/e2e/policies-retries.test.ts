import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/e2e-setup.js';
import { inSeconds, readJobRecord, writeJob } from '../helpers/jobs.js';
import { sleep, waitFor } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';
import type { RunResult } from '../../src/types.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;

describe('retries and maxRuns (SPEC §2)', () => {
  const tmp = useTempDir();

  it('a failing run with retries 2 runs three times; the retries say retryOf and attempt', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    await writeJob(tmp().jobsDir, 'flaky', { schedule: inSeconds(2), retries: 2, retryDelay: '200ms', command: 'exit 4' });
    const ends = await daemon.waitForEvents(is('run.end', 'flaky'), 3, { timeoutMs: 12_000 });
    for (const end of ends) expect(end).toMatchObject({ status: 'failed', exitCode: 4 });

    const starts = daemon.eventsOf('run.start', 'flaky');
    expect(starts.map((s) => s.trigger)).toEqual(['schedule', 'retry', 'retry']);
    const [first, ...retries] = ends;

    // No fourth run: the retry budget is spent (delays were 200 ms and 400 ms).
    await sleep(1_500);
    expect(daemon.eventsOf('run.start', 'flaky')).toHaveLength(3);

    const record = await waitFor(
      async () => {
        const job = await readJobRecord(daemon.stateFile, 'flaky');
        return job && retries.every((r) => job.history.some((h) => h.run === r.run)) ? job : null;
      },
      { timeoutMs: 5_000, what: 'the retries in the state file' },
    );
    const byId = (id: unknown) => record.history.find((h) => h.run === id) as RunResult | undefined;
    expect(byId(first!.run)?.trigger).toBe('schedule');
    expect(byId(first!.run)?.retryOf).toBeUndefined();
    expect(byId(retries[0]!.run)).toMatchObject({ trigger: 'retry', retryOf: first!.run, attempt: 1, status: 'failed' });
    expect(byId(retries[1]!.run)).toMatchObject({ trigger: 'retry', retryOf: first!.run, attempt: 2, status: 'failed' });
  });

  it('a retry that succeeds ends the retries', async () => {
    const marker = tmp().path('attempted');
    const daemon = await startDaemon({ dir: tmp().dir });
    // Fails the first time, succeeds once the marker file exists.
    await writeJob(tmp().jobsDir, 'second-time', {
      schedule: inSeconds(2),
      retries: 3,
      retryDelay: '200ms',
      command: `if [ -e '${marker}' ]; then exit 0; else touch '${marker}'; exit 1; fi`,
    });
    const ends = await daemon.waitForEvents(is('run.end', 'second-time'), 2, { timeoutMs: 12_000 });
    expect(ends.map((e) => e.status)).toEqual(['failed', 'ok']);
    await sleep(1_500);
    expect(daemon.eventsOf('run.start', 'second-time')).toHaveLength(2);
  });

  it('a timeout is not retried', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    await writeJob(tmp().jobsDir, 'stuck', {
      schedule: inSeconds(2),
      retries: 2,
      retryDelay: '200ms',
      timeout: '300ms',
      killGrace: '500ms',
      command: 'sleep 10',
    });
    const end = await daemon.waitForEvent(is('run.end', 'stuck'), { timeoutMs: 12_000 });
    expect(end.status).toBe('timeout');
    await sleep(1_500);
    expect(daemon.eventsOf('run.start', 'stuck')).toHaveLength(1);
    expect(daemon.eventsOf('run.start', 'stuck').filter((e) => e.trigger === 'retry')).toEqual([]);
  });

  it('maxRuns 3 counts across a restart: two runs, restart, one more, then done', async () => {
    await writeJob(tmp().jobsDir, 'limited', { schedule: '@every 2s', maxRuns: 3, command: 'true' });
    const first = await startDaemon({ dir: tmp().dir });
    await first.waitForEvents(is('run.end', 'limited'), 2, { timeoutMs: 12_000 });
    expect((await first.stop()).code).toBe(0);
    expect(first.eventsOf('run.start', 'limited')).toHaveLength(2);
    expect((await readJobRecord(first.stateFile, 'limited'))?.runCount).toBe(2);

    const second = await startDaemon({ dir: tmp().dir });
    const end = await second.waitForEvent(is('run.end', 'limited'), { timeoutMs: 12_000 });
    expect(end.status).toBe('ok');
    // Two more periods: a fourth run would have started by now.
    await sleep(4_500);
    expect(second.eventsOf('run.start', 'limited')).toHaveLength(1);

    const record = await waitFor(
      async () => {
        const job = await readJobRecord(second.stateFile, 'limited');
        return job?.state === 'done' ? job : null;
      },
      { timeoutMs: 5_000, what: 'state done in the state file' },
    );
    expect(record.runCount).toBe(3);
    expect(record.nextRunAt).toBeNull();
    expect((await second.stop()).code).toBe(0);
    expect((await readJobRecord(second.stateFile, 'limited'))?.state).toBe('done');
  });
});
