import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { socketRequest } from '../../helpers/control-socket.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, HEARTBEAT, startHostileDaemon } from '../../helpers/hostile.js';
import { readJobRecord, writeJob } from '../../helpers/jobs.js';
import type { LogEvent } from '../../helpers/start-daemon.js';

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
}

/** How long after its scheduled instant a run started, from its run.start line. */
function lateness(start: LogEvent): number {
  return Date.parse(String(start.time)) - Date.parse(String(start.scheduledAt));
}

describe('hostile: output floods', () => {
  const tmp = useTempDir();

  it('issue 11.17: `yes` beside a heartbeat: the timeout fires on time, RSS stays bounded, dropped lines are counted, the tail is exact', async () => {
    await writeJob(tmp().jobsDir, 'flood', { schedule: '@every 1h', command: 'yes', timeout: '2s', killGrace: '1s' });
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    const { daemon } = target;
    const mark = daemon.mark();
    const asked = await socketRequest(target.socket, 'POST', '/jobs/flood/run');
    expect(asked.status).toBeLessThan(300);
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(daemon.pid))), 100);
    const end = await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'flood', { after: mark, timeoutMs: 15_000 });
    clearInterval(sampler);

    expect(end.status).toBe('timeout');
    const timeout = daemon.eventsOf('run.timeout', 'flood')[0]!;
    expect(Number(timeout.elapsedMs)).toBeGreaterThanOrEqual(2_000);
    expect(Number(timeout.elapsedMs)).toBeLessThan(2_400);
    expect(peakRss).toBeLessThan(300);

    const logged = daemon.eventsOf('run.output', 'flood').length;
    const dropped = daemon.eventsOf('run.output.dropped', 'flood');
    expect(dropped.length).toBeGreaterThanOrEqual(2);
    const droppedLines = dropped.reduce((sum, e) => sum + Number(e.stdout), 0);
    expect(droppedLines).toBeGreaterThan(logged * 10);
    expect(logged).toBeLessThanOrEqual(4_000);

    const beats = daemon.events.slice(mark).filter((e) => e.event === 'run.start' && e.job === HEARTBEAT);
    expect(beats.length).toBeGreaterThanOrEqual(2);
    for (const beat of beats) expect(lateness(beat)).toBeLessThan(400);

    await expectStillHealthy(target);
    const record = await readJobRecord(daemon.stateFile, 'flood');
    const stdout = record?.lastRun && 'stdout' in record.lastRun ? record.lastRun.stdout : '';
    expect(stdout.length).toBe(65_536);
    expect(/^(y\n)+$/.test(stdout)).toBe(true);
    await expectCleanStop(target);
  });

  it('issue 11.17: a 100 MB line without a newline is logged once, cut at 16 KiB and marked truncated', async () => {
    await writeJob(tmp().jobsDir, 'wide', { schedule: '@every 1h', command: "head -c 100000000 /dev/zero | tr '\\0' x; echo; echo after" });
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    const { daemon } = target;
    const mark = daemon.mark();
    await socketRequest(target.socket, 'POST', '/jobs/wide/run');
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(daemon.pid))), 100);
    const end = await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'wide', { after: mark, timeoutMs: 20_000 });
    clearInterval(sampler);
    expect(end.status).toBe('ok');
    const lines = daemon.eventsOf('run.output', 'wide');
    expect(lines.map((e) => [String(e.line).length, e.truncated ?? false])).toEqual([[16_384, true], [5, false]]);
    expect(peakRss).toBeLessThan(300);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });
});
