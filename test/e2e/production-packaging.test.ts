import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion (killed after `timeoutMs`). */
function run(file: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const explain = (what: string, result: Result) => `${what} exited ${result.code}\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`;

describe('production: packaging', () => {
  const tmp = useTempDir();

  it('npm pack, then a global install into a prefix, gives a working jobd command', async () => {
    const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

    // dist/ is built before the tests; letting `npm pack` run `prepare` would rebuild it under
    // the daemons other test files are starting, which then load half-written modules.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp().dir], REPO_ROOT, 120_000);
    expect(packed.code, explain('npm pack', packed)).toBe(0);
    const tarballs = (await readdir(tmp().dir)).filter((name) => name.endsWith('.tgz'));
    expect(tarballs).toEqual([`jobd-${version}.tgz`]);

    const prefix = tmp().path('prefix');
    const installed = await run(
      'npm',
      ['install', '-g', '--prefix', prefix, tmp().path(tarballs[0]!), '--prefer-offline', '--no-audit', '--no-fund'],
      tmp().dir,
      150_000,
    );
    expect(installed.code, explain('npm install -g', installed)).toBe(0);
    const jobd = join(prefix, 'bin', 'jobd');

    const help = await run(jobd, ['--help'], tmp().dir);
    expect(help.code, explain('jobd --help', help)).toBe(0);
    expect(help.stdout).toContain('Examples:');

    const shown = await run(jobd, ['--version'], tmp().dir);
    expect(shown.code, explain('jobd --version', shown)).toBe(0);
    expect(shown.stdout.trim()).toBe(version);

    const target = tmp().path('x');
    const init = await run(jobd, ['init', target], tmp().dir);
    expect(init.code, explain('jobd init', init)).toBe(0);
    const files = (await readdir(target)).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);

    const validate = await run(jobd, ['validate', target], tmp().dir);
    expect(validate.code, explain('jobd validate', validate)).toBe(0);
    expect(validate.stdout).toMatch(new RegExp(`ok: ${files.length} job files? valid`));
  }, 240_000);
});
