import { execFile, spawn } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linesOf, REPO_ROOT } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { killPidQuietly, waitFor } from '../helpers/process.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion (killed after `timeoutMs`). */
function run(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Result> {
  return new Promise((resolve) => {
    const { cwd, env = process.env, timeoutMs = 60_000 } = options;
    execFile(file, args, { cwd, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const explain = (what: string, result: Result) => `${what} exited ${result.code}\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`;

// The `jobd …` lines of the README's Quick tour, as written there, without their comments.
async function quickTourCommands(): Promise<string[]> {
  const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick tour'), readme.indexOf('## Command line'));
  return section.split('\n').filter((line) => line.startsWith('jobd ')).map((line) => line.replace(/\s+#.*$/, ''));
}

describe('production: packaging', () => {
  const tmp = useTempDir();
  let installDir: TempDir;
  let prefix: string;
  let packed: { tarballs: string[]; version: string };

  // One `npm pack` and one global install into a prefix, for every test here.
  beforeAll(async () => {
    installDir = await makeTempDir('jobd-packaging-');
    const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    // dist/ is built before the tests; letting `npm pack` run `prepare` would rebuild it under
    // the daemons other test files are starting, which then load half-written modules.
    const pack = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', installDir.dir], { cwd: REPO_ROOT, timeoutMs: 120_000 });
    if (pack.code !== 0) throw new Error(explain('npm pack', pack));
    const tarballs = (await readdir(installDir.dir)).filter((name) => name.endsWith('.tgz'));
    packed = { tarballs, version };
    prefix = installDir.path('prefix');
    const installed = await run(
      'npm',
      ['install', '-g', '--prefix', prefix, installDir.path(tarballs[0] ?? 'missing.tgz'), '--prefer-offline', '--no-audit', '--no-fund'],
      { cwd: installDir.dir, timeoutMs: 150_000 },
    );
    if (installed.code !== 0) throw new Error(explain('npm install -g', installed));
  }, 280_000);

  afterAll(async () => {
    await installDir?.cleanup();
  });

  it('npm pack, then a global install into a prefix, gives a working jobd command', async () => {
    expect(packed.tarballs).toEqual([`jobd-${packed.version}.tgz`]);
    const jobd = join(prefix, 'bin', 'jobd');
    const cwd = tmp().dir;

    const help = await run(jobd, ['--help'], { cwd });
    expect(help.code, explain('jobd --help', help)).toBe(0);
    expect(help.stdout).toContain('Examples:');

    const shown = await run(jobd, ['--version'], { cwd });
    expect(shown.code, explain('jobd --version', shown)).toBe(0);
    expect(shown.stdout.trim()).toBe(packed.version);

    const target = tmp().path('x');
    const init = await run(jobd, ['init', target], { cwd });
    expect(init.code, explain('jobd init', init)).toBe(0);
    const files = (await readdir(target)).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);

    const validate = await run(jobd, ['validate', target], { cwd });
    expect(validate.code, explain('jobd validate', validate)).toBe(0);
    expect(validate.stdout).toMatch(new RegExp(`ok: ${files.length} job files? valid`));
  }, 60_000);

  it('issue 14: the Quick tour works as written from a fresh directory outside the clone, with jobd installed globally', async () => {
    const commands = await quickTourCommands();
    expect(commands).toEqual([
      'jobd init my-jobs',
      'jobd validate my-jobs',
      'jobd next heartbeat --jobs-dir my-jobs',
      'jobd start --jobs-dir my-jobs',
      'jobd status',
      'jobd run heartbeat --wait',
    ]);
    const [init, validate, next, start, status, runNow] = commands as [string, string, string, string, string, string];
    // Plain `jobd` as a shell finds it: on PATH, in a directory that has nothing of the clone.
    const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` };
    const cwd = tmp().path('tour');
    await mkdir(cwd);
    const shell = (command: string, timeoutMs?: number) => run('/bin/sh', ['-c', command], { cwd, env, ...(timeoutMs ? { timeoutMs } : {}) });

    const initialized = await shell(init);
    expect(initialized.code, explain(init, initialized)).toBe(0);
    expect(await readdir(join(cwd, 'my-jobs'))).toContain('heartbeat.json');
    const validated = await shell(validate);
    expect(validated.code, explain(validate, validated)).toBe(0);
    expect(validated.stdout).toMatch(/^ok: \d+ job files valid$/m);
    const fires = await shell(next);
    expect(fires.code, explain(next, fires)).toBe(0);
    expect(linesOf(fires.stdout)).toHaveLength(5);

    // `jobd start` runs in the foreground: here in the background, in its own process group.
    const daemon = spawn('/bin/sh', ['-c', start], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    daemon.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    daemon.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => daemon.on('exit', (code) => resolve(code)));
    try {
      // The socket answers as soon as it is up, before the jobs directory is read: asked until the table has the job.
      const shown = await waitFor(async () => {
        const result = await shell(status);
        return result.code === 0 && /^heartbeat\s/m.test(result.stdout) ? result : null;
      }, { timeoutMs: 20_000, intervalMs: 200, what: `"${status}" to show the heartbeat job` });
      expect(shown.stdout).toMatch(/^JOB +SCHEDULE +STATE/m);

      const ran = await shell(runNow, 30_000);
      expect(ran.code, explain(runNow, ran)).toBe(0);
      expect(ran.stdout).toMatch(/^heartbeat from heartbeat \(heartbeat-\d+, manual\) at /m);

      // The shell waits for jobd as its child: jobd is stopped as Ctrl-C would, and the shell passes on its status.
      const started = /"event":"daemon\.start".*?"pid":(\d+)/.exec(log) ?? /"pid":(\d+).*?"event":"daemon\.start"/.exec(log);
      expect(started, log.slice(-2000)).not.toBeNull();
      process.kill(Number(started![1]), 'SIGTERM');
      expect(await exited, log.slice(-2000)).toBe(0);
      expect(log).toContain('"event":"daemon.stop"');
    } finally {
      killPidQuietly(daemon.pid!);
    }
  }, 90_000);
});
