import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/e2e-setup.js';
import { inSeconds, readJobRecord, writeJob } from '../helpers/jobs.js';
import { sleep } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;
const scheduledMs = (e: LogEvent) => Date.parse(String(e.scheduledAt));

describe('schedules (SPEC §3)', () => {
  const tmp = useTempDir();

  it('a 6-field cron every second fires on whole seconds with trigger schedule', async () => {
    await writeJob(tmp().jobsDir, 'cron1', { schedule: '*/1 * * * * *', command: 'echo tick' });
    await writeJob(tmp().jobsDir, 'cron2', { schedule: '*/2 * * * * *', command: 'echo tock' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const ends = await daemon.waitForEvents(is('run.end', 'cron1'), 2, { timeoutMs: 8_000 });
    for (const end of ends) {
      expect(end.status).toBe('ok');
      expect(end.trigger).toBe('schedule');
    }
    const [even] = await daemon.waitForEvents(is('run.start', 'cron2'), 1, { timeoutMs: 8_000 });
    expect(new Date(scheduledMs(even!)).getUTCSeconds() % 2).toBe(0);
    for (const start of daemon.eventsOf('run.start')) {
      expect(start.trigger).toBe('schedule');
      expect(scheduledMs(start) % 1000).toBe(0);
    }
  });

  it('@every 1s fires on a one-second timeline', async () => {
    await writeJob(tmp().jobsDir, 'every', { schedule: '@every 1s', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const loaded = daemon.eventsOf('job.loaded', 'every')[0];
    expect(loaded).toBeDefined();
    const starts = await daemon.waitForEvents(is('run.start', 'every'), 3, { timeoutMs: 10_000 });
    const times = starts.map(scheduledMs);
    expect(times[0]).toBe(Date.parse(String(loaded!.nextRunAt)));
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThan(0);
      expect((times[i]! - times[i - 1]!) % 1000).toBe(0);
    }
    for (const start of starts) expect(start.trigger).toBe('schedule');
  });

  it('a one-shot job runs exactly once and stays done after a restart', async () => {
    const first = await startDaemon({ dir: tmp().dir });
    const at = inSeconds(2);
    await writeJob(tmp().jobsDir, 'once', { schedule: at, command: 'echo once' });
    const start = await first.waitForEvent(is('run.start', 'once'), { timeoutMs: 8_000 });
    expect(scheduledMs(start)).toBe(Date.parse(at));
    await first.waitForEvent(is('run.end', 'once'), { timeoutMs: 5_000 });
    await sleep(1_500);
    expect(first.eventsOf('run.start', 'once')).toHaveLength(1);
    expect((await first.stop()).code).toBe(0);
    expect((await readJobRecord(first.stateFile, 'once'))?.state).toBe('done');

    const second = await startDaemon({ dir: tmp().dir });
    await sleep(2_000);
    expect(second.eventsOf('run.start', 'once')).toEqual([]);
    expect(second.eventsOf('run.skipped', 'once')).toEqual([]);
    expect((await second.stop()).code).toBe(0);
    const record = await readJobRecord(second.stateFile, 'once');
    expect(record?.state).toBe('done');
    expect(record?.runCount).toBe(1);
  });

  it('a one-shot instant already past is skipped with a warning and never runs', async () => {
    await writeJob(tmp().jobsDir, 'late', { schedule: { at: inSeconds(-3600) }, command: 'echo late' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const warning = await daemon.waitForEvent(
      (e) => e.job === 'late' && (e.level === 'warn' || e.level === 40) && e.event === 'run.skipped',
      { timeoutMs: 5_000 },
    );
    expect(warning.reason).toBe('past');
    await sleep(1_500);
    expect(daemon.eventsOf('run.start', 'late')).toEqual([]);
  });

  it('an interval keeps its timeline across a restart', async () => {
    await writeJob(tmp().jobsDir, 'phase', { schedule: '@every 3s', command: 'true' });
    const first = await startDaemon({ dir: tmp().dir });
    const before = await first.waitForEvent(is('run.end', 'phase'), { timeoutMs: 8_000 });
    const firstStart = first.eventsOf('run.start', 'phase')[0]!;
    expect(before.status).toBe('ok');
    expect((await first.stop()).code).toBe(0);

    const second = await startDaemon({ dir: tmp().dir });
    const loaded = second.eventsOf('job.loaded', 'phase')[0];
    expect(loaded).toBeDefined();
    const next = await second.waitForEvent(is('run.start', 'phase'), { timeoutMs: 8_000 });
    const gap = scheduledMs(next) - scheduledMs(firstStart);
    expect(gap).toBeGreaterThan(0);
    expect(gap % 3000).toBe(0);
    expect(Date.parse(String(loaded!.nextRunAt))).toBe(scheduledMs(next));
    // Missed fires are not replayed: the first fire after restart is in the future, not a burst.
    expect(second.eventsOf('run.start', 'phase')).toHaveLength(1);
  });
});
