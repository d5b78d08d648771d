import { spawn } from 'node:child_process';
import { chmod, lstat, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesOf, runCli } from '../helpers/cli.js';
import { socketRequest } from '../helpers/control-socket.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { readJobRecord, writeJob } from '../helpers/jobs.js';
import { waitFor } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const job = { schedule: '@every 1h', command: 'true' };
const invalidFor = (name: string) => (e: LogEvent) => e.event === 'job.invalid' && String(e.file).endsWith(`/${name}.json`);
const loaded = (id: string) => (e: LogEvent) => e.event === 'job.loaded' && e.job === id;

describe('production: security', () => {
  const tmp = useTempDir();

  it('a job file writable by group and others is refused unless --insecure-permissions', async () => {
    await chmod(await writeJob(tmp().jobsDir, 'safe', job), 0o644);
    const open = await writeJob(tmp().jobsDir, 'open', job);
    await chmod(open, 0o666);

    const strict = await startDaemon({ dir: tmp().dir });
    const refused = await strict.waitForEvent(invalidFor('open'), { timeoutMs: 10_000 });
    expect(String(refused.message)).toContain('writable by group and others');
    expect(String(refused.message)).toContain('--insecure-permissions');
    expect(strict.eventsOf('job.loaded', 'safe')).toHaveLength(1);
    expect(strict.eventsOf('job.loaded', 'open')).toHaveLength(0);
    expect((await strict.stop()).code).toBe(0);

    const validate = await runCli(['validate', tmp().jobsDir], { cwd: tmp().dir });
    expect(validate.code).toBe(1);
    const problem = linesOf(validate.stdout + validate.stderr).find((line) => line.includes('open.json'));
    expect(problem).toContain('writable by group and others');
    expect(problem).toContain('--insecure-permissions');

    const relaxed = await startDaemon({ dir: tmp().dir, args: ['--insecure-permissions'] });
    await relaxed.waitForEvent(loaded('open'), { timeoutMs: 10_000 });
    expect(relaxed.events.filter(invalidFor('open'))).toHaveLength(0);
    expect((await relaxed.stop()).code).toBe(0);
    expect((await runCli(['validate', '--insecure-permissions', tmp().jobsDir], { cwd: tmp().dir })).code).toBe(0);
  }, 60_000);

  it('a jobs directory writable by everyone makes jobd start exit 1 with one line on stderr', async () => {
    await writeJob(tmp().jobsDir, 'safe', job);
    await chmod(tmp().jobsDir, 0o777);
    const result = await runCli(
      ['start', '--jobs-dir', tmp().jobsDir, '--state-file', tmp().path('jobs_state.json'), '--socket', tmp().path('jobd.sock'), '--no-pretty'],
      { cwd: tmp().dir },
    );
    expect(result.code).toBe(1);
    const lines = linesOf(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(tmp().jobsDir);
    expect(lines[0]).toMatch(/writable/);
    expect(lines[0]).toContain('--insecure-permissions');
    expect(result.stdout).not.toMatch(/"daemon\.start"/);
  });

  it('a symlink to a job file outside the jobs dir needs --follow-symlinks; one inside is fine', async () => {
    const outside = tmp().path('elsewhere');
    await mkdir(outside);
    await writeFile(join(outside, 'target.json'), JSON.stringify(job), { mode: 0o644 });
    await symlink(join(outside, 'target.json'), join(tmp().jobsDir, 'external.json'));
    await mkdir(join(tmp().jobsDir, 'library'));
    await writeFile(join(tmp().jobsDir, 'library', 'kept.json'), JSON.stringify(job), { mode: 0o644 });
    await symlink('library/kept.json', join(tmp().jobsDir, 'internal.json'));

    const strict = await startDaemon({ dir: tmp().dir });
    const refused = await strict.waitForEvent(invalidFor('external'), { timeoutMs: 10_000 });
    expect(String(refused.message)).toContain('--follow-symlinks');
    await strict.waitForEvent(loaded('internal'), { timeoutMs: 10_000 });
    expect(strict.eventsOf('job.loaded', 'external')).toHaveLength(0);
    expect(strict.events.filter(invalidFor('internal'))).toHaveLength(0);
    expect((await strict.stop()).code).toBe(0);

    const following = await startDaemon({ dir: tmp().dir, args: ['--follow-symlinks'] });
    await following.waitForEvent(loaded('external'), { timeoutMs: 10_000 });
    await following.waitForEvent(loaded('internal'), { timeoutMs: 10_000 });
    expect(following.events.filter((e) => e.event === 'job.invalid')).toHaveLength(0);
    expect((await following.stop()).code).toBe(0);
  }, 60_000);

  it('env values reach the command but not stdout, the log file, the state file or the socket', async () => {
    const secret = 's3cret-value';
    const seen = tmp().path('seen-token');
    const logFile = tmp().path('jobd.log');
    await writeJob(tmp().jobsDir, 'keeper', {
      schedule: '@every 1s',
      env: { TOKEN: secret },
      command: `printf '%s' "$TOKEN" > '${seen}'`,
    });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--log-file', logFile] });
    const end = await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'keeper', { timeoutMs: 10_000 });
    expect(end.status).toBe('ok');
    expect(await readFile(seen, 'utf8')).toBe(secret);

    await waitFor(async () => (await readJobRecord(daemon.stateFile, 'keeper'))?.lastRun, { timeoutMs: 5_000, what: 'the run in the state file' });
    const reply = await socketRequest(tmp().path('jobd.sock'), 'GET', '/jobs/keeper');
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('TOKEN');
    expect(reply.text).not.toContain(secret);
    const status = await socketRequest(tmp().path('jobd.sock'), 'GET', '/status');
    expect(status.text).not.toContain(secret);

    expect((await daemon.stop()).code).toBe(0);
    expect(daemon.rawLines.join('\n')).not.toContain(secret);
    expect(daemon.stderr()).not.toContain(secret);
    expect(await readFile(logFile, 'utf8')).not.toContain(secret);
    const state = await readFile(daemon.stateFile, 'utf8');
    expect(state).toContain('TOKEN');
    expect(state).not.toContain(secret);
  }, 60_000);

  it('a job file over 1 MiB is refused before parsing', async () => {
    await writeJob(tmp().jobsDir, 'huge', { ...job, description: 'x'.repeat(2 * 1024 * 1024) });
    const daemon = await startDaemon({ dir: tmp().dir });
    const refused = await daemon.waitForEvent(invalidFor('huge'), { timeoutMs: 10_000 });
    expect(String(refused.message)).toContain('1 MiB');
    expect(daemon.eventsOf('job.loaded', 'huge')).toHaveLength(0);
    expect((await daemon.stop()).code).toBe(0);
  });

  it('a socket directory writable by others is refused unless it is sticky', async () => {
    await writeJob(tmp().jobsDir, 'safe', job);
    const shared = tmp().path('shared');
    await mkdir(shared);
    await chmod(shared, 0o777);
    const startWith = (socket: string) =>
      runCli(['start', '--jobs-dir', tmp().jobsDir, '--state-file', tmp().path('jobs_state.json'), '--socket', socket, '--no-pretty'], {
        cwd: tmp().dir,
      });
    const refused = await startWith(join(shared, 'jobd.sock'));
    expect(refused.code).toBe(1);
    const lines = linesOf(refused.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(shared);
    expect(lines[0]).toMatch(/socket directory is writable by group and others/);

    await chmod(shared, 0o1777);
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--socket', join(shared, 'jobd.sock')] });
    expect(daemon.eventsOf('daemon.start')[0]?.socket).toBe(join(shared, 'jobd.sock'));
    expect((await daemon.stop()).code).toBe(0);
  });

  it('another user can see the socket but cannot connect to it', async () => {
    expect(process.getuid?.(), 'this test runs as root so that it can act as another user').toBe(0);
    // Open the way to the socket, so only the socket's own mode stands between.
    await chmod(tmp().dir, 0o755);
    const daemon = await startDaemon({ dir: tmp().dir });
    const socket = tmp().path('jobd.sock');
    expect((await lstat(socket)).mode & 0o777).toBe(0o600);

    const probe = `
      const fs = require('node:fs');
      const net = require('node:net');
      fs.lstatSync(process.argv[1]);
      const c = net.connect(process.argv[1]);
      c.on('connect', () => { console.log('connected'); c.destroy(); });
      c.on('error', (e) => console.log(e.code));
    `;
    const seen = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', probe, socket], { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(out.trim()));
    });
    expect(seen).toBe('EACCES');

    const mine = await socketRequest(socket, 'GET', '/status');
    expect(mine.status).toBe(200);
    expect((await daemon.stop()).code).toBe(0);
  });
});
