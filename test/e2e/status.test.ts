import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { JOBD_BIN, linesOf, runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { socketRequest } from '../helpers/control-socket.js';
import { writeJob } from '../helpers/jobs.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const ended = (job: string) => (e: LogEvent) => e.event === 'run.end' && e.job === job;

describe('jobd status, the table and one job (issue 14)', () => {
  const tmp = useTempDir();
  const cli = (...args: string[]) => runCli([...args, '--socket', tmp().path('jobd.sock')], { cwd: tmp().dir });
  // `jobd status …` with stdout on a terminal: script(1) gives it a pseudo-terminal.
  const onTty = (args: string[], env: Record<string, string | undefined>) => {
    const command = `${process.execPath} ${JOBD_BIN} status ${args.join(' ')} --socket ${tmp().path('jobd.sock')}`;
    const env2 = { ...process.env, ...env };
    if (env.NO_COLOR === undefined) delete env2.NO_COLOR;
    return spawnSync('script', ['-qec', command, '/dev/null'], { env: env2, encoding: 'utf8', timeout: 20_000 }).stdout;
  };

  it('issue 14: jobd status <id> shows description, schedule, state, next fires with "in …", last runs, output tail and the job file', async () => {
    const file = await writeJob(tmp().jobsDir, 'export', {
      description: 'Exports and fails', schedule: '@every 1h', command: 'echo "exporting $1"; echo broken >&2; exit 3', args: ['customers'],
    });
    const daemon = await startDaemon({ dir: tmp().dir });
    expect((await cli('run', 'export')).code).toBe(0);
    await daemon.waitForEvent(ended('export'));

    const shown = await cli('status', 'export');
    expect(shown.code, shown.stderr).toBe(0);
    const text = shown.stdout;
    expect(text).toMatch(/^export - Exports and fails\n/);
    expect(text).toContain(`File: ${file}`);
    expect(text).toMatch(/Schedule: every hour \(@every 1h\)\n/);
    expect(text).toMatch(/State: scheduled, 1 runs/);
    expect(text).toContain('Command: sh -c "echo \\"exporting $1\\"; echo broken >&2; exit 3"');
    expect(text).toContain('Args: ["customers"]');
    expect(text).toMatch(/Next: \S+ \S+ \S+ [+-]\d\d:\d\d \(in (59m|1h)\)/);
    expect(text.match(/\(in \d+h\d*m?\)|\(in \d+m\)/g)!.length).toBe(5);
    expect(text).toMatch(/export-1 +failed, exit 3 +.+ +\d+ms +manual/);
    expect(text).toContain('  | exporting customers\n');
    expect(text).toContain('  ! broken\n');

    const json = await cli('status', 'export', '--json');
    const body = JSON.parse(json.stdout) as { id: string; history: Array<{ exitCode: number }>; definition: { args: string[] } };
    expect(body).toMatchObject({ id: 'export', schedule: '@every 1h', scheduleWords: 'every hour', definition: { args: ['customers'] } });
    expect(body.history.at(-1)!.exitCode).toBe(3);
  });

  it('issue 14: jobd status <id> says the schedule in words, with the expression and its zone after them', async () => {
    await writeJob(tmp().jobsDir, 'workdays', { schedule: { cron: '0 3 * * 1-5', timezone: 'Europe/Paris' }, command: 'true' });
    await writeJob(tmp().jobsDir, 'nightly', { schedule: '0 3 * * *', command: 'true' });
    await writeJob(tmp().jobsDir, 'boot', { schedule: '@reboot', command: 'true' });
    await writeJob(tmp().jobsDir, 'odd', { schedule: '1,2,3,5,8,13,21,34,55 * * * *', command: 'true' });
    await startDaemon({ dir: tmp().dir });
    const line = async (id: string) => /^ *Schedule: (.*)$/m.exec((await cli('status', id)).stdout)?.[1];
    expect(await line('workdays')).toBe('at 03:00 on weekdays (Mon–Fri) (0 3 * * 1-5, Europe/Paris)');
    expect(await line('nightly')).toBe('every day at 03:00 (0 3 * * *)');
    expect(await line('boot')).toBe('at each daemon start (@reboot)');
    expect(await line('odd')).toBe('1,2,3,5,8,13,21,34,55 * * * *');
    const jobs = JSON.parse((await cli('status', '--json')).stdout) as { jobs: Array<{ id: string; schedule: string; scheduleWords: string }> };
    expect(jobs.jobs.find((j) => j.id === 'workdays')).toMatchObject({ schedule: '0 3 * * 1-5 (Europe/Paris)', scheduleWords: 'at 03:00 on weekdays (Mon–Fri) (Europe/Paris)' });
  });

  it('issue 14: jobd status <unknown id> exits 1 with one clear line', async () => {
    await startDaemon({ dir: tmp().dir });
    const unknown = await cli('status', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe('jobd: no job with id "nope"\n');
  });

  it('issue 14: the table has NEXT/LEFT/LAST/PASSED/RESULT columns with the failure reason; red only on a TTY without NO_COLOR', async () => {
    await writeJob(tmp().jobsDir, 'three', { schedule: '@yearly', command: 'exit 3' });
    await writeJob(tmp().jobsDir, 'fine', { schedule: '@yearly', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir });
    await cli('run', 'three');
    await cli('run', 'fine');
    await daemon.waitForEvents((e) => e.event === 'run.end', 2);

    const piped = await cli('status');
    expect(piped.code, piped.stderr).toBe(0);
    const rows = linesOf(piped.stdout);
    expect(rows[1]).toMatch(/^JOB +SCHEDULE +STATE +NEXT +LEFT +LAST +PASSED +RESULT$/);
    expect(rows.find((l) => l.startsWith('three'))).toMatch(/ [+-]\d\d:\d\d +\d+(ms|s) ago +failed, exit 3$/);
    expect(rows.find((l) => l.startsWith('fine'))).toMatch(/ ago +ok$/);
    expect(piped.stdout).not.toContain('\x1b[');

    const colored = onTty([], {});
    expect(colored.split(/\r?\n/).find((l) => l.includes('three'))).toMatch(/^\x1b\[31mthree .*failed, exit 3\x1b\[0m$/);
    expect(colored.split(/\r?\n/).find((l) => l.includes('fine'))).not.toContain('\x1b[');
    expect(onTty([], { NO_COLOR: '1' })).not.toContain('\x1b[');
  });

  it('issue 14: a run killed by a signal and one that timed out show "killed by SIGKILL" and "timeout" in the table and in jobd status <id>, red on a TTY', async () => {
    await writeJob(tmp().jobsDir, 'killed', { schedule: '@yearly', command: 'echo about to die; kill -9 $$' });
    await writeJob(tmp().jobsDir, 'slow', { schedule: '@yearly', command: 'sleep 30', timeout: '1s', killGrace: '1s' });
    const daemon = await startDaemon({ dir: tmp().dir });
    await cli('run', 'killed');
    await cli('run', 'slow');
    const ends = await daemon.waitForEvents((e) => e.event === 'run.end', 2, { timeoutMs: 15_000 });
    expect(ends.map((e) => [e.job, e.status, e.signal]).sort()).toEqual([['killed', 'failed', 'SIGKILL'], ['slow', 'timeout', 'SIGTERM']]);

    const rows = linesOf((await cli('status')).stdout);
    expect(rows.find((l) => l.startsWith('killed'))).toMatch(/ ago +killed by SIGKILL$/);
    expect(rows.find((l) => l.startsWith('slow'))).toMatch(/ ago +timeout$/);
    const killed = await cli('status', 'killed');
    expect(killed.code, killed.stderr).toBe(0);
    expect(killed.stdout).toMatch(/^ {2}killed-1 +killed by SIGKILL +\S+ \S+ \S+ [+-]\d\d:\d\d +\d+(ms|s) +manual$/m);
    expect(killed.stdout).toContain('  | about to die\n');
    const slow = await cli('status', 'slow');
    expect(slow.stdout).toMatch(/^ {2}slow-1 +timeout +\S+ \S+ \S+ [+-]\d\d:\d\d +1(\.\d)?s +manual$/m);
    expect(`${killed.stdout}${slow.stdout}`).not.toContain('\x1b[');

    const table = onTty([], {}).split(/\r?\n/);
    expect(table.find((l) => l.includes('killed'))).toMatch(/^\x1b\[31mkilled .*killed by SIGKILL\x1b\[0m$/);
    expect(table.find((l) => l.includes('slow'))).toMatch(/^\x1b\[31mslow .*timeout\x1b\[0m$/);
    const detail = onTty(['slow'], {}).split(/\r?\n/);
    expect(detail.find((l) => l.includes('slow-1'))).toMatch(/^ {2}\x1b\[31mslow-1 +timeout .*\x1b\[0m$/);
    expect(onTty(['killed'], {}).split(/\r?\n/).find((l) => l.includes('killed-1'))).toMatch(/^ {2}\x1b\[31mkilled-1 +killed by SIGKILL .*\x1b\[0m$/);
  });

  it("issue 13: jobd status --json writes the daemon's answer through as it arrives: the socket's compact JSON, byte for byte", async () => {
    await writeJob(tmp().jobsDir, 'export', { schedule: '@yearly', command: 'echo "a\\nb"' });
    const daemon = await startDaemon({ dir: tmp().dir });
    await cli('run', 'export');
    await daemon.waitForEvent(ended('export'));

    const json = await cli('status', 'export', '--json');
    expect(json.code, json.stderr).toBe(0);
    const direct = await socketRequest(tmp().path('jobd.sock'), 'GET', '/jobs/export');
    expect(json.stdout).toBe(direct.text);
    expect(linesOf(json.stdout)).toHaveLength(1);
    expect(json.stdout.endsWith('}\n')).toBe(true);

    const all = await cli('status', '--json');
    expect(all.code, all.stderr).toBe(0);
    expect(linesOf(all.stdout)).toHaveLength(1);
    expect((JSON.parse(all.stdout) as { jobs: Array<{ id: string }> }).jobs.map((j) => j.id)).toEqual(['export']);
  });

  it('issue 13: jobd status <unknown id> --json and --json without a daemon exit 1 with one line on stderr, nothing on stdout', async () => {
    const away = await cli('status', '--json');
    expect(away.code).toBe(1);
    expect(away.stdout).toBe('');
    expect(away.stderr).toMatch(/^jobd: .*jobd\.sock: cannot reach jobd \(no daemon is running there\); start it with: jobd start\n$/);

    await startDaemon({ dir: tmp().dir });
    const unknown = await cli('status', 'nope', '--json');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe('jobd: no job with id "nope"\n');
  });
});
