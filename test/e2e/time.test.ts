import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { linesOf, runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { startDaemon } from '../helpers/start-daemon.js';
import { httpBase, httpRequest } from '../helpers/http.js';
import { readJobRecord, writeJob } from '../helpers/jobs.js';

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

  it('issue 14: validate hints "@every 5m" for "every 5 minutes", and "command" for a pasted crontab line, in croner-free words', async () => {
    await writeJob(tmp().jobsDir, 'english', { schedule: 'every 5 minutes', command: 'true' });
    await writeJob(tmp().jobsDir, 'pasted', { schedule: '0 3 * * * /usr/local/bin/backup.sh --all', command: 'true' });
    await writeJob(tmp().jobsDir, 'field', { schedule: '0 0 * * MOM', command: 'true' });
    const result = await runCli(['validate', tmp().jobsDir], { cwd: tmp().dir });
    expect(result.code).toBe(1);
    const lines = linesOf(result.stdout);
    expect(lines.find((l) => l.includes('english.json'))).toMatch(/english\.json: schedule: .*got "every 5 minutes"; did you mean "@every 5m"\?/);
    expect(lines.find((l) => l.includes('pasted.json'))).toMatch(
      /pasted\.json: schedule: this looks like a crontab line: the schedule is "0 3 \* \* \*", and the command \("\/usr\/local\/bin\/backup.sh --all"\) goes in "command"/,
    );
    expect(lines.find((l) => l.includes('field.json'))).toMatch(/field\.json: schedule: day-of-week "MOM" is not a value, range or step \(expected 0-7 or SUN-SAT/);
    expect(result.stdout).not.toMatch(/CronPattern|configuration entry|illegal/i);
  });

  it('issue 14: weekday ranges that wrap (FRI-MON, 5-1) and months (NOV-FEB) are accepted, and next fires on those days', async () => {
    const weekend = await writeJob(tmp().jobsDir, 'long-weekend', { schedule: { cron: '0 9 * * FRI-MON', timezone: 'UTC' }, command: 'true' });
    const numeric = await writeJob(tmp().jobsDir, 'numeric', { schedule: { cron: '0 9 * * 5-1', timezone: 'UTC' }, command: 'true' });
    const winter = await writeJob(tmp().jobsDir, 'winter', { schedule: { cron: '0 0 1 NOV-FEB *', timezone: 'UTC' }, command: 'true' });
    const days = async (file: string, count: number): Promise<number[]> => {
      const result = await runCli(['next', file, '-n', String(count), '--from', '2026-12-02T00:00:00Z'], { cwd: tmp().dir });
      expect(result.code, result.stderr).toBe(0);
      return linesOf(result.stdout).map((line) => new Date(line.split(/\s+/)[0]!).getUTCDay());
    };
    expect(await days(weekend, 8)).toEqual([5, 6, 0, 1, 5, 6, 0, 1]);
    expect(await days(numeric, 4)).toEqual([5, 6, 0, 1]);
    const months = await runCli(['next', winter, '-n', '4', '--from', '2026-12-02T00:00:00Z'], { cwd: tmp().dir });
    expect(linesOf(months.stdout).map((line) => line.slice(0, 10))).toEqual(['2027-01-01', '2027-02-01', '2027-11-01', '2027-12-01']);
    const daemon = await startDaemon({ dir: tmp().dir });
    expect(daemon.eventsOf('job.loaded').map((e) => e.job).sort()).toEqual(['long-weekend', 'numeric', 'winter']);
    expect(daemon.eventsOf('job.invalid')).toEqual([]);
  });

  it('issue 14: jobd next <id> --from <instant> lists the fires after that instant, with "in 58m" beside each', async () => {
    await writeJob(tmp().jobsDir, 'nightly', { schedule: { cron: '0 3 * * *', timezone: 'UTC' }, command: 'true' });
    const result = await runCli(['next', 'nightly', '-n', '2', '--from', '2026-12-01T02:02:00Z'], { cwd: tmp().dir });
    expect(result.code, result.stderr).toBe(0);
    expect(linesOf(result.stdout)).toEqual([
      '2026-12-01T03:00:00.000Z  2026-12-01 03:00:00 +00:00 UTC  in 58m',
      '2026-12-02T03:00:00.000Z  2026-12-02 03:00:00 +00:00 UTC  in 1d',
    ]);
    const bad = await runCli(['next', 'nightly', '--from', 'yesterday'], { cwd: tmp().dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from: expected an ISO 8601 date-time .* got "yesterday"/);
  });

  it('issue 14: jobd next prints the two passes of a repeated DST hour with their offsets, so they differ', async () => {
    const file = await writeJob(tmp().jobsDir, 'half-past', { schedule: { cron: '30 * * * *', timezone: 'Europe/Paris' }, command: 'true' });
    const result = await runCli(['next', file, '-n', '3', '--from', '2026-10-25T00:00:00Z'], { cwd: tmp().dir });
    expect(result.code, result.stderr).toBe(0);
    const lines = linesOf(result.stdout);
    expect(lines[0]).toBe('2026-10-25T00:30:00.000Z  2026-10-25 02:30:00 +02:00 Europe/Paris  in 30m');
    expect(lines[1]).toBe('2026-10-25T01:30:00.000Z  2026-10-25 02:30:00 +01:00 Europe/Paris  in 1h30m');
    expect(new Set(lines.map((line) => line.split('  ')[1])).size).toBe(3);
  });

  it('issue 14: jobd next shows a one-shot in its own zone, and says why nothing is printed once it is past', async () => {
    const file = await writeJob(tmp().jobsDir, 'launch', { schedule: { at: '2026-12-24T18:00:00', timezone: 'America/New_York' }, command: 'true' });
    const ahead = await runCli(['next', file, '--from', '2026-12-24T12:00:00Z'], { cwd: tmp().dir });
    expect(ahead.code, ahead.stderr).toBe(0);
    expect(linesOf(ahead.stdout)).toEqual(['2026-12-24T23:00:00.000Z  2026-12-24 18:00:00 -05:00 America/New_York  in 11h']);
    const past = await runCli(['next', file, '--from', '2027-01-01T00:00:00Z'], { cwd: tmp().dir });
    expect(past.code).toBe(0);
    expect(past.stdout).toBe('');
    expect(past.stderr).toMatch(/launch\.json: schedule: the one-shot instant 2026-12-24T23:00:00.000Z is past \(7d1h ago\); launch has nothing left to fire/);
  });

  it('issue 14: jobd next says that a disabled job never fires', async () => {
    const file = await writeJob(tmp().jobsDir, 'off', { schedule: '@hourly', command: 'true', enabled: false });
    const result = await runCli(['next', file, '-n', '1', '--from', '2026-12-01T10:20:00Z', '--timezone', 'UTC'], { cwd: tmp().dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/off\.json: enabled: false; off is disabled and never fires/);
    expect(linesOf(result.stdout)).toEqual(['2026-12-01T11:00:00.000Z  2026-12-01 11:00:00 +00:00 UTC  in 40m']);
  });
});

describe('smaller things seen (issue 14)', () => {
  const tmp = useTempDir();

  it('issue 14: a state file whose directory does not exist is created, with its directory, and the daemon runs', async () => {
    await writeJob(tmp().jobsDir, 'tick', { schedule: '@every 1s', command: 'true' });
    const stateFile = tmp().path('var', 'lib', 'jobd', 'state.json');
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--state-file', stateFile, '--socket', tmp().path('var', 'lib', 'jobd', 'jobd.sock')] });
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'tick', { timeoutMs: 10_000 });
    expect((await daemon.stop('SIGTERM')).code).toBe(0);
    const saved = JSON.parse(await readFile(stateFile, 'utf8')) as { jobs: Array<{ id: string }> };
    expect(saved.jobs.map((job) => job.id)).toEqual(['tick']);
  });

  it('issue 14: TZ=Mars/Base names the bad zone in start, next and validate (not "unknown time zone \\"\\"")', async () => {
    const file = await writeJob(tmp().jobsDir, 'nightly', { schedule: '0 3 * * *', command: 'true' });
    const env = { TZ: 'Mars/Base' };
    for (const args of [['start'], ['next', file], ['validate', file]]) {
      const result = await runCli(args, { cwd: tmp().dir, env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/TZ.*unknown time zone "Mars\/Base"; expected an IANA time zone such as "Europe\/Paris"/);
      expect(result.stderr + result.stdout).not.toMatch(/time zone ""/);
    }
    const posix = await runCli(['validate', file], { cwd: tmp().dir, env: { TZ: ':/etc/localtime' } });
    expect(posix.code, posix.stdout + posix.stderr).toBe(0);
  });
});

describe('@reboot / @start (issue 14)', () => {
  const tmp = useTempDir();

  it('issue 14: jobd next on a @start job says it runs at each daemon start, and nothing on stderr', async () => {
    const file = await writeJob(tmp().jobsDir, 'boot', { schedule: '@start', command: 'echo booted' });
    const result = await runCli(['next', file], { cwd: tmp().dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('at each daemon start (@reboot); no timed fires\n');
    expect(result.stderr).toBe('');
  });

  it('issue 14: @reboot runs once each time the daemon starts, never on a timer, not when a file appears later, and never becomes done', async () => {
    await writeJob(tmp().jobsDir, 'boot', { schedule: '@reboot', command: 'echo booted' });
    await writeJob(tmp().jobsDir, 'start-alias', { schedule: '@start', command: 'echo started' });
    const first = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    expect(first.eventsOf('job.loaded', 'boot')[0]).toMatchObject({ schedule: '@reboot', nextRunAt: null });
    const page = await httpRequest(`${httpBase(first)}/job/boot`);
    expect(page.text).toContain('at each daemon start (@reboot)');
    const listed = (await httpRequest(`${httpBase(first)}/api/jobs`)).json as Array<{ id: string; schedule: string }>;
    expect(listed.find((job) => job.id === 'start-alias')?.schedule).toBe('@reboot');
    await first.waitForEvent((e) => e.event === 'run.end' && e.job === 'boot' && e.status === 'ok');
    await first.waitForEvent((e) => e.event === 'run.end' && e.job === 'start-alias' && e.status === 'ok');
    expect(first.eventsOf('run.output', 'boot').map((e) => e.line)).toEqual(['booted']);
    const mark = first.mark();
    await writeJob(tmp().jobsDir, 'late', { schedule: '@reboot', command: 'echo late' });
    await first.waitForEvent((e) => e.event === 'job.loaded' && e.job === 'late', { after: mark });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(first.eventsOf('run.start', 'late')).toEqual([]);
    expect(first.eventsOf('run.start', 'boot')).toHaveLength(1);
    expect((await first.stop('SIGTERM')).code).toBe(0);
    const afterFirst = await readJobRecord(first.stateFile, 'boot');
    expect(afterFirst).toMatchObject({ runCount: 1, state: 'scheduled', nextRunAt: null });

    const second = await startDaemon({ dir: tmp().dir });
    await second.waitForEvent((e) => e.event === 'run.end' && e.job === 'boot' && e.status === 'ok');
    await second.waitForEvent((e) => e.event === 'run.end' && e.job === 'late' && e.status === 'ok');
    expect((await second.stop('SIGTERM')).code).toBe(0);
    expect(await readJobRecord(second.stateFile, 'boot')).toMatchObject({ runCount: 2, state: 'scheduled' });

    const next = await runCli(['next', 'boot'], { cwd: tmp().dir });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toBe('at each daemon start (@reboot); no timed fires\n');
  });
});

