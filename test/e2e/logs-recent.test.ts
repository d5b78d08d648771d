import { spawn, type ChildProcess } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { JOBD_BIN, linesOf, runCli } from '../helpers/cli.js';
import { followSocket, socketRequest } from '../helpers/control-socket.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { writeJob } from '../helpers/jobs.js';
import { waitFor } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;

/** A `jobd` command left running (`logs -f`), its output read as it comes. */
function startCli(args: string[], cwd: string): { child: ChildProcess; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, [JOBD_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stdout: () => stdout, stderr: () => stderr };
}

describe('issue 14: jobd logs without --log-file, from the events the daemon keeps', () => {
  const tmp = useTempDir();
  const socket = () => tmp().path('jobd.sock');
  const cli = (...args: string[]) => runCli([...args, '--socket', socket()], { cwd: tmp().dir });

  it('issue 14: jobd logs prints the recent events; -n, --since, -p and an id filter them; an unknown id is an error', async () => {
    await writeJob(tmp().jobsDir, 'talker', { schedule: '@every 1s', command: 'echo said-$JOBD_RUN_ID' });
    await writeJob(tmp().jobsDir, 'sour', { schedule: '@every 1s', command: 'exit 3' });
    const daemon = await startDaemon({ dir: tmp().dir });
    await daemon.waitForEvents(is('run.end', 'talker'), 2, { timeoutMs: 10_000 });
    await daemon.waitForEvents(is('run.end', 'sour'), 2, { timeoutMs: 10_000 });

    const all = await cli('logs');
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/said-talker-1/);
    expect(all.stdout).toMatch(/started \(pid/);

    const three = await cli('logs', '-n', '3');
    expect(three.code, three.stderr).toBe(0);
    expect(linesOf(three.stdout)).toHaveLength(3);

    const talker = await cli('logs', 'talker');
    expect(linesOf(talker.stdout).length).toBeGreaterThan(3);
    expect(talker.stdout).not.toMatch(/sour/);

    const warn = await cli('logs', '-p', 'warn');
    expect(warn.code, warn.stderr).toBe(0);
    expect(warn.stdout).toMatch(/sour/);
    expect(warn.stdout).not.toMatch(/said-/);

    expect(linesOf((await cli('logs', '--since', '1h')).stdout).length).toBeGreaterThanOrEqual(linesOf(all.stdout).length);
    const future = await cli('logs', '--since', new Date(Date.now() + 3_600_000).toISOString());
    expect(future).toMatchObject({ code: 0, stdout: '' });

    const unknown = await cli('logs', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('jobd: no job "nope"\n');
    const badN = await cli('logs', '-n', 'many');
    expect(badN.code).toBe(2);
    expect(badN.stderr).toMatch(/^jobd: logs: -n: expected a whole number/);
    const badLevel = await cli('logs', '-p', 'loud');
    expect(badLevel.stderr).toMatch(/^jobd: logs: -p: expected trace, debug, info, warn, error or fatal/);

    // A job removed since still shows its past lines.
    await rm(tmp().path('jobs.d/sour.json'));
    await daemon.waitForEvent(is('job.removed', 'sour'), { timeoutMs: 8_000 });
    const removed = await cli('logs', 'sour');
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/sour/);
  }, 40_000);

  it('issue 14: jobd logs <unknown id> -f exits 1 naming the id at once instead of waiting, from the daemon or with --log-file', async () => {
    const logFile = tmp().path('jobd.log');
    await writeJob(tmp().jobsDir, 'talker', { schedule: '@every 1s', command: 'echo said-$JOBD_RUN_ID' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--log-file', logFile] });
    await daemon.waitForEvent(is('run.end', 'talker'), { timeoutMs: 10_000 });

    // A follower that waited would be killed at the 10 s limit: code null, not 1.
    const started = Date.now();
    const followed = await runCli(['logs', 'nope', '-f', '--socket', socket()], { cwd: tmp().dir, timeoutMs: 10_000 });
    expect(followed).toMatchObject({ code: 1, stdout: '', stderr: 'jobd: no job "nope"\n' });
    const fromFile = await runCli(['logs', 'nope', '-f', '--log-file', logFile, '--socket', socket()], { cwd: tmp().dir, timeoutMs: 10_000 });
    expect(fromFile).toMatchObject({ code: 1, stdout: '' });
    expect(linesOf(fromFile.stderr)).toEqual([expect.stringMatching(/^jobd: no job "nope"/)]);
    expect(Date.now() - started).toBeLessThan(10_000);

    // A known id with -f does wait and follow: the difference is the id, not -f.
    const follower = startCli(['logs', 'talker', '-f', '-n', '1', '--socket', socket()], tmp().dir);
    try {
      await waitFor(() => (/said-talker-\d+/.test(follower.stdout()) ? true : null), { timeoutMs: 8_000, what: 'a talker line' });
      expect(follower.child.exitCode).toBeNull();
    } finally {
      follower.child.kill('SIGTERM');
    }
  }, 30_000);

  it('issue 14: GET /events takes n, since, job, level and follow; a bad value is a 400 naming the parameter', async () => {
    await writeJob(tmp().jobsDir, 'talker', { schedule: '@every 1s', command: 'echo said-$JOBD_RUN_ID' });
    const daemon = await startDaemon({ dir: tmp().dir });
    await daemon.waitForEvents(is('run.end', 'talker'), 2, { timeoutMs: 10_000 });

    const two = await socketRequest(socket(), 'GET', '/events?n=2&job=talker');
    expect(two.status).toBe(200);
    const lines = linesOf(two.text).map((line) => JSON.parse(line) as LogEvent);
    expect(lines).toHaveLength(2);
    expect(lines.every((e) => e.job === 'talker')).toBe(true);
    const warnOnly = await socketRequest(socket(), 'GET', '/events?since=1h&level=warn');
    expect(linesOf(warnOnly.text).map((line) => JSON.parse(line) as LogEvent).filter((e) => e.level !== 'warn' && e.level !== 'error')).toEqual([]);

    for (const [query, error] of [
      ['n=10001', 'n: expected a whole number from 0 to 10000'],
      ['since=yesterday', 'since: expected an ISO instant'],
      ['level=loud', 'level: expected trace'],
    ] as const) {
      const refused = await socketRequest(socket(), 'GET', `/events?${query}`);
      expect(refused.status, query).toBe(400);
      expect((refused.json as { error: string }).error, query).toContain(error);
    }
    const unknown = await socketRequest(socket(), 'GET', '/events?job=nope&follow');
    expect(unknown.status).toBe(404);

    // Backlog then live: the followed events are exactly the daemon's own lines for the job, none missing, none twice.
    const stream = followSocket(socket(), '/events?n=10000&job=talker&follow');
    try {
      const before = daemon.eventsOf('run.end', 'talker').length;
      await stream.waitFor((e) => e.event === 'run.end', before + 2, 10_000);
      // The daemon's stdout is written in batches, so it may trail the socket a little.
      const own = await waitFor(() => {
        const lines = daemon.events.filter((e) => e.job === 'talker');
        return lines.length >= stream.events.length ? lines : null;
      }, { timeoutMs: 5_000, what: 'the daemon\'s own lines' });
      expect(stream.events).toEqual(own.slice(0, stream.events.length));
    } finally {
      stream.close();
    }
  }, 40_000);

  it('issue 14: a follower that asked for megabytes of kept events and reads them slowly is not dropped for them', async () => {
    await writeJob(tmp().jobsDir, 'wordy', { schedule: '@every 4s', command: `awk 'BEGIN { for (i = 0; i < 600; i++) printf "%04d %s\\n", i, sprintf("%1200s", "w") }'` });
    const daemon = await startDaemon({ dir: tmp().dir });
    await daemon.waitForEvents(is('run.end', 'wordy'), 2, { timeoutMs: 20_000 });
    const kept = await socketRequest(socket(), 'GET', '/events?n=10000&job=wordy');
    expect(kept.text.length).toBeGreaterThan(1.2 * 1024 * 1024);
    const lastEnded = Number(String(daemon.eventsOf('run.end', 'wordy').at(-1)!.run).split('-')[1]);
    const laterEnd = new RegExp(`"event":"run\\.end".*"run":"wordy-(\\d+)"`);
    const text = await new Promise<string>((resolve, reject) => {
      const req = request({ socketPath: socket(), path: '/events?n=10000&job=wordy&follow' }, (res) => {
        let got = '';
        res.setEncoding('utf8');
        // Reads nothing until the next run has logged its lines, then everything.
        res.pause();
        const after = daemon.mark();
        void daemon.waitForEvent(is('run.end', 'wordy'), { timeoutMs: 15_000, after }).then(() => setTimeout(() => res.resume(), 200), reject);
        res.on('data', (chunk: string) => {
          got += chunk;
          const later = got.split('\n').some((line) => Number(laterEnd.exec(line)?.[1] ?? 0) > lastEnded);
          if (later || got.includes('events.dropped')) {
            req.destroy();
            resolve(got);
          }
        });
        // A follower the daemon cut off ends here, with whatever it got.
        res.on('close', () => resolve(`${got}\n(closed by the daemon)`));
      });
      req.on('error', reject);
      req.end();
    });
    expect(text).not.toContain('events.dropped');
    expect(text).not.toContain('(closed by the daemon)');
    expect(daemon.eventsOf('control.dropped')).toEqual([]);
  }, 40_000);

  it('issue 14: jobd logs -f prints the last lines, then follows; when the daemon restarts it says so, reconnects and prints nothing twice', async () => {
    await writeJob(tmp().jobsDir, 'talker', { schedule: '@every 1s', command: 'echo said-$JOBD_RUN_ID' });
    const first = await startDaemon({ dir: tmp().dir });
    await first.waitForEvents(is('run.end', 'talker'), 3, { timeoutMs: 10_000 });
    const follower = startCli(['logs', 'talker', '-f', '-n', '2', '--socket', socket()], tmp().dir);
    try {
      await waitFor(() => (linesOf(follower.stdout()).length >= 2 ? true : null), { timeoutMs: 5_000, what: 'the last two lines' });
      await waitFor(() => (/said-talker-\d+/.test(follower.stdout().split('\n').slice(2).join('\n')) ? true : null), { timeoutMs: 8_000, what: 'a live line' });
      expect((await first.stop()).code).toBe(0);
      await waitFor(() => (follower.stderr().includes('jobd: daemon went away, reconnecting…') ? true : null), { timeoutMs: 5_000, what: 'the reconnecting line' });
      const second = await startDaemon({ dir: tmp().dir });
      const run = await second.waitForEvent(is('run.end', 'talker'), { timeoutMs: 10_000 });
      await waitFor(() => (follower.stdout().includes(`said-${String(run.run)}`) ? true : null), { timeoutMs: 8_000, what: 'a line of the restarted daemon' });
      expect(follower.stderr()).toContain('jobd: reconnected\n');
      expect(follower.child.exitCode).toBeNull();
      const shown = linesOf(follower.stdout());
      expect(new Set(shown).size).toBe(shown.length);
      expect(shown.filter((line) => /Loaded job talker/.test(line))).toHaveLength(1);
    } finally {
      follower.child.kill('SIGTERM');
    }
  }, 40_000);

  it('issue 14: jobd logs --log-file without -n reads the file forward with a bound on a line: a 20 MiB line comes out cut to 8 MiB between whole events', async () => {
    const logFile = tmp().path('jobd.log');
    const event = (n: number) => JSON.stringify({ level: 30, time: new Date(Date.UTC(2026, 11, 2, 12, 0, n)).toISOString(), event: 'run.end', job: 'talker', msg: `event-${n}` });
    await writeFile(logFile, `${event(1)}\n${'x'.repeat(20 * 1024 * 1024)}\n${event(2)}\n`);
    const read = await runCli(['logs', '--log-file', logFile, '--socket', tmp().path('none.sock')], { cwd: tmp().dir });
    expect(read.code, read.stderr).toBe(0);
    const lines = linesOf(read.stdout);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/12:00:01/);
    expect(lines[1]).toMatch(/^x+$/);
    expect(lines[1]!.length).toBe(8 * 1024 * 1024);
    expect(lines[2]).toMatch(/12:00:02/);
  }, 30_000);

  it('issue 14: with --log-file, jobd logs -n prints the file\'s last lines, and -f goes on with the live daemon without a repeat', async () => {
    const logFile = tmp().path('jobd.log');
    await writeJob(tmp().jobsDir, 'talker', { schedule: '@every 1s', command: 'echo said-$JOBD_RUN_ID' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--log-file', logFile] });
    await daemon.waitForEvents(is('run.end', 'talker'), 2, { timeoutMs: 10_000 });
    const tail = await cli('logs', '--log-file', logFile, '-n', '3', 'talker');
    expect(tail.code, tail.stderr).toBe(0);
    expect(linesOf(tail.stdout)).toHaveLength(3);
    expect(tail.stdout).toMatch(/talker/);
    const unknown = await cli('logs', '--log-file', logFile, 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^jobd: no job "nope"/);

    const follower = startCli(['logs', 'talker', '-f', '-n', '3', '--log-file', logFile, '--socket', socket()], tmp().dir);
    try {
      const ends = daemon.eventsOf('run.end', 'talker').length;
      await daemon.waitForEvents(is('run.end', 'talker'), ends + 2, { timeoutMs: 10_000 });
      const last = daemon.eventsOf('run.end', 'talker').at(-1)!;
      await waitFor(() => (follower.stdout().includes(`(${String(last.run)}, `) || follower.stdout().includes(`said-${String(last.run)}`) ? true : null), {
        timeoutMs: 8_000, what: 'the live lines after the file',
      });
      const shown = linesOf(follower.stdout());
      expect(new Set(shown).size).toBe(shown.length);
    } finally {
      follower.child.kill('SIGTERM');
    }
  }, 40_000);
});
