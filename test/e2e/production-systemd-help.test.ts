import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';

/** Runs a program to completion; resolves with its exit code and output. */
function run(file: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('production: systemd unit', () => {
  const tmp = useTempDir();

  it('jobd init --systemd prints a unit that systemd-analyze verify accepts', async () => {
    const printed = await runCli(['init', '--systemd', tmp().jobsDir], { cwd: tmp().dir });
    expect(printed.code, printed.stderr).toBe(0);
    const unit = printed.stdout;
    expect(unit).toMatch(/^KillMode=mixed$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^ExecReload=\S/m);
    expect(unit).toMatch(/^ExecStart=.* start .*--jobs-dir /m);

    const file = tmp().path('jobd.service');
    await writeFile(file, unit);
    const verified = await run('/usr/bin/systemd-analyze', ['verify', file], tmp().dir);
    expect(verified.code, `systemd-analyze verify said:\n${verified.stdout}${verified.stderr}`).toBe(0);
  }, 60_000);
});

describe('production: help', () => {
  const tmp = useTempDir();

  it.each([[['--help']], [['start', '--help']], [['status', '--help']]])('jobd %j shows an Examples section', async (args) => {
    const result = await runCli(args, { cwd: tmp().dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Examples:$/m);
    const examples = result.stdout.slice(result.stdout.indexOf('Examples:'));
    expect(examples).toMatch(/\$ jobd/);
  });
});
