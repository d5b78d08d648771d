import { readFile, rename, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/e2e-setup.js';
import { writeJob } from '../helpers/jobs.js';
import { sleep, waitFor } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const LINES = 200;

/** Every line of a log file parsed as JSON; fails on a partial or non-JSON line. */
async function readLog(file: string): Promise<LogEvent[]> {
  const text = await readFile(file, 'utf8');
  expect(text.endsWith('\n'), `${file} ends with a complete line`).toBe(true);
  return text
    .split('\n')
    .slice(0, -1)
    .map((line, index) => {
      try {
        return JSON.parse(line) as LogEvent;
      } catch {
        throw new Error(`${file}:${index + 1} is not a complete JSON line: ${line.slice(0, 200)}`);
      }
    });
}

describe('production: log rotation', () => {
  const tmp = useTempDir();

  it('SIGHUP reopens --log-file after a rename: no line split, none lost', async () => {
    const logFile = tmp().path('jobd.log');
    const rotated = tmp().path('jobd.log.1');
    await writeJob(tmp().jobsDir, 'chatty', {
      schedule: '@every 1s',
      command: `for i in $(seq 1 ${LINES}); do echo line-$i; done`,
    });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--log-file', logFile] });
    const isEnd = (e: LogEvent) => e.event === 'run.end' && e.job === 'chatty';
    await daemon.waitForEvents(isEnd, 2, { timeoutMs: 15_000 });

    await rename(logFile, rotated);
    // Let lines land in the renamed file while it is still the open one.
    await sleep(300);
    const hupMark = daemon.mark();
    process.kill(daemon.pid, 'SIGHUP');
    await waitFor(() => stat(logFile).then(() => true), { timeoutMs: 5_000, what: 'the log file to be re-created' });
    await daemon.waitForEvents(isEnd, 3, { timeoutMs: 15_000, after: hupMark });
    expect(daemon.hasExited()).toBe(false);
    const result = await daemon.stop();
    expect(result.code).toBe(0);

    const before = await readLog(rotated);
    const after = await readLog(logFile);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((e) => e.event === 'run.output').length).toBeGreaterThan(0);
    expect(after.some((e) => e.event === 'daemon.stop')).toBe(true);
    expect(before.some((e) => e.event === 'daemon.start')).toBe(true);

    // Every finished run has all its output lines, in one file or the other.
    const all = [...before, ...after];
    const ended = daemon.events.filter(isEnd);
    expect(ended.length).toBeGreaterThanOrEqual(5);
    for (const end of ended) {
      expect(end.status).toBe('ok');
      const lines = all.filter((e) => e.event === 'run.output' && e.run === end.run).map((e) => e.line);
      expect(lines, `output of ${String(end.run)}`).toEqual(Array.from({ length: LINES }, (_, i) => `line-${i + 1}`));
      expect(all.filter((e) => e.event === 'run.end' && e.run === end.run)).toHaveLength(1);
    }
    // The two files together hold each event the daemon printed, once.
    expect(all.length).toBe(daemon.events.length);
  }, 60_000);
});
