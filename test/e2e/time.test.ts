import { describe, expect, it } from 'vitest';
import { linesOf, runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { startDaemon } from '../helpers/start-daemon.js';
import { writeJob } from '../helpers/jobs.js';

describe('durations, schedule hints and zones (issue 14, "Time")', () => {
  const tmp = useTempDir();

  it('issue 14: durations in systemd spelling ("5min", "2h 30min", "1day") are accepted in timeout, jitter, @every and --shutdown-grace', async () => {
    const file = await writeJob(tmp().jobsDir, 'spelled', {
      schedule: '@every 5min',
      command: 'true',
      timeout: '2h 30min',
      jitter: '1sec',
      killGrace: '500msec',
      retryDelay: '1day',
    });
    const validated = await runCli(['validate', file], { cwd: tmp().dir });
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    const next = await runCli(['next', file, '-n', '3'], { cwd: tmp().dir });
    const instants = linesOf(next.stdout).map((line) => Date.parse(line.split(/\s+/)[0]!));
    expect(instants).toHaveLength(3);
    expect(instants[1]! - instants[0]!).toBe(300_000);
    const daemon = await startDaemon({ dir: tmp().dir, shutdownGrace: '2 seconds' });
    expect(daemon.eventsOf('job.invalid')).toEqual([]);
    expect((await daemon.stop('SIGTERM')).code).toBe(0);
  });

  it('issue 14: a huge duration is a clear error naming the field, and a huge --shutdown-grace a usage error', async () => {
    const file = await writeJob(tmp().jobsDir, 'huge', { schedule: '@hourly', command: 'true', timeout: '99999999999999999999d' });
    const validated = await runCli(['validate', file], { cwd: tmp().dir });
    expect(validated.code).toBe(1);
    expect(validated.stdout).toMatch(/huge\.json: timeout: duration too large: expected at most 10000000d, got "99999999999999999999d"/);
    const started = await runCli(['start', '--shutdown-grace', '99999999999999999999s'], { cwd: tmp().dir });
    expect(started.code).toBe(2);
    expect(started.stderr).toMatch(/shutdown-grace.*duration too large/);
  });
});
