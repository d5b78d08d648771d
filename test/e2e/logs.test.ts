import { existsSync } from 'node:fs';
import { readFile, rename } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/e2e-setup.js';
import { writeJob } from '../helpers/jobs.js';
import { waitFor } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;

function parseLines(text: string): LogEvent[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogEvent);
}

describe('logs (SPEC §7)', () => {
  const tmp = useTempDir();

  it('every stdout line is JSON with time, level, msg and event; job and run lines say which', async () => {
    await writeJob(tmp().jobsDir, 'speaker', { schedule: '@every 1s', command: 'echo said; exit 2' });
    await writeJob(tmp().jobsDir, 'broken', { schedule: '@every 1s' });
    const daemon = await startDaemon({ dir: tmp().dir });
    await daemon.waitForEvents(is('run.end', 'speaker'), 2, { timeoutMs: 8_000 });
    const { code } = await daemon.stop();
    expect(code).toBe(0);

    expect(daemon.otherLines).toEqual([]);
    expect(daemon.rawLines.length).toBeGreaterThan(0);
    for (const event of daemon.events) {
      expect(event.time, JSON.stringify(event)).toBeDefined();
      expect(event.level, JSON.stringify(event)).toBeDefined();
      expect(typeof event.msg, JSON.stringify(event)).toBe('string');
      expect(typeof event.event, JSON.stringify(event)).toBe('string');
      if (String(event.event).startsWith('run.')) {
        expect(event.job, JSON.stringify(event)).toBeDefined();
        if (event.event !== 'run.skipped') expect(event.run, JSON.stringify(event)).toBeDefined();
      }
    }
    const names = new Set(daemon.events.map((e) => e.event));
    for (const name of ['daemon.start', 'job.loaded', 'job.invalid', 'run.start', 'run.output', 'run.end', 'daemon.stop']) {
      expect(names, name).toContain(name);
    }
    const end = daemon.eventsOf('run.end', 'speaker')[0]!;
    expect(end).toMatchObject({ status: 'failed', exitCode: 2, signal: null });
    expect(typeof end.durationMs).toBe('number');
    expect(daemon.eventsOf('run.output', 'speaker')[0]).toMatchObject({ stream: 'stdout', line: 'said' });
  });

  it('--log-file receives the same lines as stdout', async () => {
    const logFile = tmp().path('jobd.log');
    await writeJob(tmp().jobsDir, 'logged', { schedule: '@every 1s', command: 'echo to-file' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--log-file', logFile] });
    await daemon.waitForEvents(is('run.end', 'logged'), 2, { timeoutMs: 8_000 });
    expect((await daemon.stop()).code).toBe(0);
    const fileEvents = parseLines(await readFile(logFile, 'utf8'));
    expect(fileEvents).toEqual(daemon.events);
  });

  it('SIGHUP reopens --log-file after it was renamed away', async () => {
    const logFile = tmp().path('jobd.log');
    await writeJob(tmp().jobsDir, 'rotated', { schedule: '@every 1s', command: 'echo rotate-me' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--log-file', logFile] });
    await daemon.waitForEvent(is('run.end', 'rotated'), { timeoutMs: 8_000 });
    await rename(logFile, `${logFile}.1`);
    daemon.child.kill('SIGHUP');
    const after = daemon.mark();
    await daemon.waitForEvents(is('run.end', 'rotated'), 2, { timeoutMs: 8_000, after });
    expect(daemon.hasExited()).toBe(false);
    const fresh = await waitFor(
      async () => {
        if (!existsSync(logFile)) return null;
        const ends = parseLines(await readFile(logFile, 'utf8')).filter(is('run.end', 'rotated'));
        return ends.length > 0 ? ends : null;
      },
      { timeoutMs: 5_000, what: 'run.end lines in the reopened log file' },
    );
    expect(fresh.length).toBeGreaterThanOrEqual(1);
    const old = parseLines(await readFile(`${logFile}.1`, 'utf8'));
    expect(old.filter(is('run.end', 'rotated')).length).toBeGreaterThanOrEqual(1);
    expect((await daemon.stop()).code).toBe(0);
  });
});
