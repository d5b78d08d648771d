import { describe, expect, it } from 'vitest';
import { linesOf, runCli } from '../../helpers/cli.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, startHostileDaemon } from '../../helpers/hostile.js';
import { writeJob } from '../../helpers/jobs.js';
import type { LogEvent } from '../../helpers/start-daemon.js';

const loaded = (id: string) => (e: LogEvent) => e.event === 'job.loaded' && e.job === id;
const invalidFor = (name: string) => (e: LogEvent) => e.event === 'job.invalid' && String(e.file).endsWith(`/${name}.json`);

/** `jobd next` lines as [UTC instant, wall time in the zone]. */
function nextLines(stdout: string): Array<[string, string]> {
  return linesOf(stdout).map((line) => {
    const [utc = '', day = '', time = ''] = line.split(/\s+/);
    return [utc, `${day} ${time}`];
  });
}

describe('hostile: schedules across DST and out of range', () => {
  const tmp = useTempDir();

  it('issue 11.21: jobd next and the daemon agree: 15,45 2 on the spring-forward Sunday in Paris fires once, at 03:00', async () => {
    // The last Sunday of March is the change every year, so the test holds whatever the date.
    const schedule = { cron: '15,45 2 25-31 3 +SUN', timezone: 'Europe/Paris' };
    const file = await writeJob(tmp().jobsDir, 'spring', { schedule, command: 'true' });
    const target = await startHostileDaemon({ dir: tmp().dir });
    const job = await target.daemon.waitForEvent(loaded('spring'));

    const next = await runCli(['next', file, '-n', '3'], { cwd: tmp().dir });
    expect(next.code, next.stderr).toBe(0);
    const fires = nextLines(next.stdout);
    expect(fires).toHaveLength(3);
    expect(fires[0]![0]).toBe(job.nextRunAt);
    const days = new Set<string>();
    for (const [utc, wall] of fires) {
      expect(wall, utc).toMatch(/^\d{4}-03-(2[5-9]|3[01]) 03:00:00$/);
      expect(utc).toMatch(/T01:00:00\.000Z$/);
      days.add(wall.slice(0, 10));
    }
    expect(days.size).toBe(3);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.21: jobd next on the fall-back Sunday in Paris: 02:15 and 02:45 once each, in summer time', async () => {
    const file = await writeJob(tmp().jobsDir, 'autumn', { schedule: { cron: '15,45 2 25-31 10 +SUN', timezone: 'Europe/Paris' }, command: 'true' });
    const next = await runCli(['next', file, '-n', '4'], { cwd: tmp().dir });
    expect(next.code, next.stderr).toBe(0);
    const fires = nextLines(next.stdout);
    expect(fires.map(([utc]) => utc.slice(10))).toEqual(['T00:15:00.000Z', 'T00:45:00.000Z', 'T00:15:00.000Z', 'T00:45:00.000Z']);
    expect(fires.map(([, wall]) => wall.slice(11))).toEqual(['02:15:00', '02:45:00', '02:15:00', '02:45:00']);
    expect(fires[0]![1].slice(0, 10)).toBe(fires[1]![1].slice(0, 10));
    expect(fires[1]![1].slice(0, 10)).not.toBe(fires[2]![1].slice(0, 10));
  });

  it('issue 11.22: a cron field out of range is job.invalid quoting the value, the field and the range', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir });
    const cases: Array<[string, string, string]> = [
      ['day-zero', '0 0 0 * *', 'day-of-month 0 is out of range (1-31) in "0 0 0 * *"'],
      ['day-32', '0 0 32 * *', 'day-of-month 32 is out of range (1-31) in "0 0 32 * *"'],
      ['month-13', '0 0 * 13 *', 'month 13 is out of range (1-12 or JAN-DEC) in "0 0 * 13 *"'],
    ];
    for (const [name, schedule] of cases) await writeJob(tmp().jobsDir, name, { schedule, command: 'true' });
    for (const [name, , message] of cases) {
      const invalid = await target.daemon.waitForEvent(invalidFor(name), { timeoutMs: 5_000 });
      expect(invalid.path).toBe('schedule');
      expect(invalid.message).toBe(message);
    }
    const validate = await runCli(['validate', tmp().jobsDir], { cwd: tmp().dir });
    expect(validate.code).toBe(1);
    for (const [name, , message] of cases) {
      expect(linesOf(validate.stdout)).toContain(`${tmp().jobsDir}/${name}.json: schedule: ${message}`);
    }
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });
});
