import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/e2e-setup.js';
import { readJobRecord, writeJob } from '../helpers/jobs.js';
import { sleep, waitFor } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';
import type { RunResult } from '../../src/types.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;
const EVERY_SECOND = '*/1 * * * * *';

describe('jitter, catchUp, enabled (SPEC §2)', () => {
  const tmp = useTempDir();

  it('jitter: runs still happen, and the record keeps the cron instant as scheduledAt', async () => {
    await writeJob(tmp().jobsDir, 'jittery', { schedule: EVERY_SECOND, jitter: '700ms', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const ends = await daemon.waitForEvents(is('run.end', 'jittery'), 3, { timeoutMs: 15_000 });
    for (const end of ends) expect(end.status).toBe('ok');
    for (const start of daemon.eventsOf('run.start', 'jittery')) {
      expect(Date.parse(String(start.scheduledAt)) % 1000, `scheduledAt ${String(start.scheduledAt)}`).toBe(0);
    }

    const runs = await waitFor(
      async () => {
        const record = await readJobRecord(daemon.stateFile, 'jittery');
        const found = ends.map((end) => record?.history.find((h) => h.run === end.run) as RunResult | undefined);
        return found.every(Boolean) ? (found as RunResult[]) : null;
      },
      { timeoutMs: 5_000, what: 'the jittered runs in the state file' },
    );
    for (const run of runs) {
      const scheduledAt = Date.parse(run.scheduledAt);
      const startedAt = Date.parse(run.startedAt);
      expect(scheduledAt % 1000, `scheduledAt ${run.scheduledAt}`).toBe(0);
      expect(startedAt).toBeGreaterThanOrEqual(scheduledAt);
    }
  });

  it('catchUp: fires missed while the daemon was down give one run at start-up with trigger catchup; without catchUp none', async () => {
    await writeJob(tmp().jobsDir, 'eager', { schedule: '@every 2s', catchUp: true, command: 'true' });
    await writeJob(tmp().jobsDir, 'lazy', { schedule: '@every 2s', command: 'true' });
    const first = await startDaemon({ dir: tmp().dir });
    // Stop before the first fire, so the state file holds a fire still to come.
    expect((await first.stop()).code).toBe(0);
    expect(first.eventsOf('run.start')).toEqual([]);
    const eager = await readJobRecord(first.stateFile, 'eager');
    const lazy = await readJobRecord(first.stateFile, 'lazy');
    expect(eager?.nextRunAt).toBeTruthy();
    expect(lazy?.nextRunAt).toBeTruthy();
    const dueAt = Math.max(Date.parse(eager!.nextRunAt!), Date.parse(lazy!.nextRunAt!));
    // Down long enough to miss two fires of each job.
    await sleep(Math.max(0, dueAt - Date.now()) + 2_500);

    const second = await startDaemon({ dir: tmp().dir });
    const caught = await second.waitForEvent(is('run.start', 'eager'), { timeoutMs: 5_000 });
    expect(caught.trigger).toBe('catchup');
    expect(Date.parse(String(caught.scheduledAt))).toBe(Date.parse(eager!.nextRunAt!));
    // The job without catchUp waits for its next instant on the old timeline.
    const lazyRun = await second.waitForEvent(is('run.start', 'lazy'), { timeoutMs: 10_000 });
    expect(lazyRun.trigger).toBe('schedule');
    const lazyDue = Date.parse(lazy!.nextRunAt!);
    const lazyAt = Date.parse(String(lazyRun.scheduledAt));
    expect(lazyAt).toBeGreaterThan(lazyDue);
    expect((lazyAt - lazyDue) % 2000).toBe(0);
    expect(second.eventsOf('run.start').filter((e) => e.trigger === 'catchup')).toEqual([caught]);
  });

  it('enabled false: the job is loaded as disabled and never fired', async () => {
    await writeJob(tmp().jobsDir, 'off', { schedule: EVERY_SECOND, enabled: false, command: 'true' });
    await writeJob(tmp().jobsDir, 'on', { schedule: EVERY_SECOND, command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir });
    expect(daemon.eventsOf('job.loaded', 'off')[0]).toMatchObject({ state: 'disabled' });
    // The sibling fires a few times meanwhile: the clock is running.
    await daemon.waitForEvents(is('run.end', 'on'), 3, { timeoutMs: 10_000 });
    expect(daemon.eventsOf('run.start', 'off')).toEqual([]);
    expect(daemon.eventsOf('run.skipped', 'off')).toEqual([]);
    expect((await readJobRecord(daemon.stateFile, 'off'))?.state).toBe('disabled');
  });
});
