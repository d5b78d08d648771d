import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/e2e-setup.js';
import { recordPid, writeJob } from '../helpers/jobs.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;

/** The most runs of `job` in progress at once, replaying run.start / run.end in log order. */
function mostAtOnce(events: LogEvent[], job: string): number {
  let running = 0;
  let most = 0;
  for (const e of events) {
    if (e.job !== job) continue;
    if (e.event === 'run.start') most = Math.max(most, ++running);
    if (e.event === 'run.end') running--;
  }
  return most;
}

const EVERY_SECOND = '*/1 * * * * *';

describe('overlap policies (SPEC §2 overlap)', () => {
  const tmp = useTempDir();

  it('skip: a 2.5 s job fired every second never runs twice at once and logs run.skipped with the running run', async () => {
    await writeJob(tmp().jobsDir, 'slow', { schedule: EVERY_SECOND, overlap: 'skip', command: 'sleep 2.5' });
    const daemon = await startDaemon({ dir: tmp().dir });
    await daemon.waitForEvents(is('run.end', 'slow'), 2, { timeoutMs: 15_000 });

    expect(mostAtOnce(daemon.events, 'slow')).toBe(1);
    const runIds = new Set(daemon.eventsOf('run.start', 'slow').map((e) => e.run));
    const skipped = daemon.eventsOf('run.skipped', 'slow');
    expect(skipped.length).toBeGreaterThanOrEqual(1);
    for (const skip of skipped) {
      expect(skip.reason).toBe('overlap');
      expect(runIds.has(skip.runningRun as string), `runningRun ${String(skip.runningRun)} is a started run`).toBe(true);
    }
    // The skipped fire names the run that was in progress at that moment.
    const first = skipped[0]!;
    const index = daemon.events.indexOf(first);
    const startIndex = daemon.events.findIndex((e) => e.event === 'run.start' && e.run === first.runningRun);
    const endIndex = daemon.events.findIndex((e) => e.event === 'run.end' && e.run === first.runningRun);
    expect(startIndex).toBeLessThan(index);
    expect(endIndex === -1 || endIndex > index).toBe(true);
  });

  it('queue: a fire during a run starts right after it ends, and at most one fire waits', async () => {
    await writeJob(tmp().jobsDir, 'queued', { schedule: EVERY_SECOND, overlap: 'queue', command: 'sleep 2.5' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const [first, second] = await daemon.waitForEvents(is('run.start', 'queued'), 2, { timeoutMs: 15_000 });
    const firstEnd = await daemon.waitForEvent((e) => e.event === 'run.end' && e.run === first!.run, { timeoutMs: 10_000 });

    expect(mostAtOnce(daemon.events, 'queued')).toBe(1);
    expect(firstEnd.status).toBe('ok');
    // The second run is the fire one second after the first, kept waiting, not the next fire after the end.
    expect(Date.parse(String(second!.scheduledAt)) - Date.parse(String(first!.scheduledAt))).toBe(1000);
    expect(daemon.events.indexOf(firstEnd)).toBeLessThan(daemon.events.indexOf(second!));
    // A 2.5 s run spans at least two fires: one waits, the other is dropped.
    const dropped = daemon.eventsOf('run.skipped', 'queued');
    expect(dropped.length).toBeGreaterThanOrEqual(1);
    expect(dropped[0]).toMatchObject({ reason: 'overlap' });
    expect(daemon.events.indexOf(dropped[0]!)).toBeLessThan(daemon.events.indexOf(firstEnd));
  });

  it('allow: fires every second while a 2.5 s run goes on, so runs overlap', async () => {
    await writeJob(tmp().jobsDir, 'parallel', { schedule: EVERY_SECOND, overlap: 'allow', command: 'sleep 2.5' });
    const daemon = await startDaemon({ dir: tmp().dir });
    await daemon.waitForEvents(is('run.end', 'parallel'), 2, { timeoutMs: 15_000 });
    expect(mostAtOnce(daemon.events, 'parallel')).toBeGreaterThanOrEqual(2);
    expect(daemon.eventsOf('run.skipped', 'parallel')).toEqual([]);
    for (const end of daemon.eventsOf('run.end', 'parallel')) expect(end.status).toBe('ok');
  });

  it('replace: the next fire cancels the running run and starts a new one', async () => {
    await writeJob(tmp().jobsDir, 'fresh', {
      schedule: EVERY_SECOND,
      overlap: 'replace',
      killGrace: '2s',
      command: `${recordPid(tmp().pidsDir, 'fresh')}; exec sleep 30`,
    });
    const daemon = await startDaemon({ dir: tmp().dir });
    const first = await daemon.waitForEvent(is('run.start', 'fresh'), { timeoutMs: 10_000 });
    const firstEnd = await daemon.waitForEvent((e) => e.event === 'run.end' && e.run === first.run, { timeoutMs: 10_000 });
    expect(firstEnd.status).toBe('cancelled');
    const next = await daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'fresh' && e.run !== first.run, {
      timeoutMs: 10_000,
    });
    expect(daemon.events.indexOf(firstEnd)).toBeLessThan(daemon.events.indexOf(next));
    expect(Date.parse(String(next.scheduledAt))).toBeGreaterThan(Date.parse(String(first.scheduledAt)));
    expect(mostAtOnce(daemon.events, 'fresh')).toBe(1);
  });
});
