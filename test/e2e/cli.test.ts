import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesOf, REPO_ROOT, runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { inSeconds, writeJob } from '../helpers/jobs.js';
import { startDaemon } from '../helpers/start-daemon.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/;

describe('jobd command line (SPEC §1)', () => {
  const tmp = useTempDir();

  it('validate exits 0 on a directory of valid jobs', async () => {
    await writeJob(tmp().jobsDir, 'hello', { schedule: '@every 1s', command: 'echo hi' });
    await writeJob(tmp().jobsDir, 'argv', { schedule: '*/5 * * * *', command: ['echo', 'hi'], timeout: '1m30s' });
    const result = await runCli(['validate', tmp().jobsDir], { cwd: tmp().dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it('validate defaults to ./jobs.d and exits 1 when a file there is invalid', async () => {
    await writeJob(tmp().jobsDir, 'good', { schedule: '@every 1s', command: 'true' });
    await writeJob(tmp().jobsDir, 'broken', { schedule: '@every 1s' });
    const result = await runCli(['validate'], { cwd: tmp().dir });
    expect(result.code).toBe(1);
    const problems = linesOf(result.stdout).filter((line) => line.includes('broken.json'));
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems.join('\n')).toMatch(/command/);
    expect(result.stdout).not.toMatch(/good\.json: /);
  });

  it('validate prints an unknown field as file: path: message with a did-you-mean hint', async () => {
    const file = await writeJob(tmp().jobsDir, 'typo', { schedule: '@every 1s', command: 'true', timout: '5s' });
    const result = await runCli(['validate', file], { cwd: tmp().dir });
    expect(result.code).toBe(1);
    const line = linesOf(result.stdout).find((l) => l.includes('timout'));
    expect(line, result.stdout).toBeDefined();
    expect(line).toMatch(/typo\.json: timout: /);
    expect(line).toMatch(/did you mean/i);
    expect(line).toMatch(/"?timeout"?/);
  });

  it('validate names a nested field path (schedule.timezone)', async () => {
    const file = await writeJob(tmp().jobsDir, 'zone', {
      schedule: { cron: '0 3 * * *', timezone: 'Mars/Olympus_Mons' },
      command: 'true',
    });
    const result = await runCli(['validate', file], { cwd: tmp().dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/zone\.json: schedule\.timezone: \S/);
  });

  it('validate reports a JSON syntax error with its line and column', async () => {
    const file = join(tmp().jobsDir, 'syntax.json');
    await writeFile(file, '{\n  "command": "true",\n  "schedule": "@every 1s",,\n  "timeout": 5\n}\n');
    const result = await runCli(['validate', file], { cwd: tmp().dir });
    expect(result.code).toBe(1);
    const line = linesOf(result.stdout).find((l) => l.includes('syntax.json'));
    expect(line, result.stdout).toMatch(/line 3/i);
    expect(line).toMatch(/column \d+/i);
  });

  it('validate reports every invalid file of a directory, one line per problem', async () => {
    await writeJob(tmp().jobsDir, 'a', { schedule: 'every tuesday', command: 'true' });
    await writeJob(tmp().jobsDir, 'b', { schedule: '@every 1s', command: 'true', timeout: 'soon' });
    await writeJob(tmp().jobsDir, 'c', { schedule: '@every 1s', command: 'true' });
    const result = await runCli(['validate', tmp().jobsDir], { cwd: tmp().dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/a\.json: schedule: \S/);
    expect(result.stdout).toMatch(/b\.json: timeout: \S/);
    expect(result.stdout).not.toMatch(/c\.json: /);
  });

  it('validate accepts the compatible forms and durations in every unit', async () => {
    await writeJob(tmp().jobsDir, 'legacy', { id: 'legacy', interval: 2, unit: 'minutes', args: ['x'], command: 'echo' });
    await writeJob(tmp().jobsDir, 'task', {
      job_id: 'task',
      schedule: '0 3 * * *',
      task: { type: 'execute_command', command: 'echo task' },
    });
    await writeJob(tmp().jobsDir, 'units', { schedule: '@every 90s', command: 'true', timeout: '1h30m', killGrace: '500ms' });
    const result = await runCli(['validate', tmp().jobsDir], { cwd: tmp().dir });
    expect(result.code, result.stdout).toBe(0);
    const next = await runCli(['next', `${tmp().jobsDir}/legacy.json`, '-n', '2'], { cwd: tmp().dir });
    expect(next.code, next.stderr + next.stdout).toBe(0);
    const [first, second] = linesOf(next.stdout).map((line) => Date.parse(line.slice(0, 24)));
    expect(second! - first!).toBe(120_000);
  });

  it('validate rejects a zero duration and an interval out of range, naming the field', async () => {
    await writeJob(tmp().jobsDir, 'zero', { schedule: '@every 1s', command: 'true', timeout: 0 });
    await writeJob(tmp().jobsDir, 'huge', { interval: 2_000_000, unit: 'seconds', command: 'true' });
    const result = await runCli(['validate', tmp().jobsDir], { cwd: tmp().dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/zero\.json: timeout: \S/);
    expect(result.stdout).toMatch(/huge\.json: interval: \S/);
  });

  it('issue 14: jobd validate warns when cwd does not exist or an argv program is not found, and still exits 0', async () => {
    const { dir, jobsDir } = tmp();
    const script = join(dir, 'not-executable.sh');
    await writeFile(script, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const away = await writeJob(jobsDir, 'away', { schedule: '@daily', command: 'true', cwd: join(dir, 'not-yet') });
    const typo = await writeJob(jobsDir, 'typo', { schedule: '@daily', command: ['no-such-program-jobd', '-x'] });
    const relative = await writeJob(jobsDir, 'relative', { schedule: '@daily', command: ['./bin/missing.sh'] });
    const plain = await writeJob(jobsDir, 'plain', { schedule: '@daily', command: [script] });
    const ownPath = await writeJob(jobsDir, 'own-path', { schedule: '@daily', command: ['sh', '-c', 'true'], env: { PATH: join(dir, 'empty') } });
    await writeJob(jobsDir, 'fine', { schedule: '@daily', command: ['sh', '-c', 'true'], cwd: dir });
    await writeJob(jobsDir, 'absolute', { schedule: '@daily', command: [process.execPath, '-e', '0'] });
    const result = await runCli(['validate', jobsDir], { cwd: dir });
    expect(result.code, result.stdout).toBe(0);
    expect(linesOf(result.stdout).sort()).toEqual([
      `ok: 7 job files valid`,
      `warning: ${away}: cwd: the directory "${join(dir, 'not-yet')}" does not exist; a run would fail to start until it exists`,
      `warning: ${ownPath}: command: the program "sh" is not found on PATH; a run would fail to start`,
      `warning: ${plain}: command: the program "${script}" is not an executable file; a run would fail to start`,
      `warning: ${relative}: command: the program "./bin/missing.sh" does not exist; a run would fail to start`,
      `warning: ${typo}: command: the program "no-such-program-jobd" is not found on PATH; a run would fail to start`,
    ].sort());

    // The daemon loads them without a word: the directory or program may be there by the time they run.
    const daemon = await startDaemon({ dir });
    expect(daemon.eventsOf('job.loaded').map((e) => e.job).sort()).toEqual(['absolute', 'away', 'fine', 'own-path', 'plain', 'relative', 'typo']);
    expect(daemon.eventsOf('job.warning')).toEqual([]);
  });

  it('start with --max-concurrency lots is a usage error: exit 2, no daemon', async () => {
    const result = await runCli(['start', '--jobs-dir', tmp().jobsDir, '--max-concurrency', 'lots', '--no-pretty'], {
      cwd: tmp().dir,
      timeoutMs: 10_000,
    });
    expect(result.code).toBe(2);
    expect(result.stderr + result.stdout).toMatch(/max-concurrency/);
  });

  it('an unknown option is a usage error: exit 2', async () => {
    const result = await runCli(['validate', '--no-such-option'], { cwd: tmp().dir });
    expect(result.code).toBe(2);
  });

  it('next prints N ISO instants for a 6-field cron, in steps of the pattern', async () => {
    const file = await writeJob(tmp().jobsDir, 'tick', { schedule: '*/10 * * * * *', command: 'true' });
    const result = await runCli(['next', file, '-n', '4'], { cwd: tmp().dir });
    expect(result.code, result.stderr).toBe(0);
    const lines = linesOf(result.stdout);
    expect(lines).toHaveLength(4);
    const times = lines.map((line) => {
      expect(line).toMatch(ISO_UTC);
      return Date.parse(line.slice(0, 24));
    });
    for (const time of times) expect(new Date(time).getUTCSeconds() % 10).toBe(0);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(10_000);
    expect(times[0]!).toBeGreaterThan(Date.now() - 1_000);
  });

  it('next prints 5 instants by default for an interval, one period apart', async () => {
    const file = await writeJob(tmp().jobsDir, 'every', { schedule: '@every 90s', command: 'true' });
    const result = await runCli(['next', file], { cwd: tmp().dir });
    expect(result.code, result.stderr).toBe(0);
    const lines = linesOf(result.stdout);
    expect(lines).toHaveLength(5);
    const times = lines.map((line) => Date.parse(line.slice(0, 24)));
    for (const line of lines) expect(line).toMatch(ISO_UTC);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(90_000);
  });

  it('next prints the single instant of a one-shot job', async () => {
    const at = new Date(Date.parse(inSeconds(3600)));
    at.setUTCMilliseconds(0);
    const file = await writeJob(tmp().jobsDir, 'once', { schedule: { at: at.toISOString() }, command: 'true' });
    const result = await runCli(['next', file, '-n', '3'], { cwd: tmp().dir });
    expect(result.code, result.stderr).toBe(0);
    const lines = linesOf(result.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.slice(0, 24)).toBe(at.toISOString());
  });

  it('schema prints a JSON Schema that names the job fields', async () => {
    const result = await runCli(['schema'], { cwd: tmp().dir });
    expect(result.code, result.stderr).toBe(0);
    const schema: unknown = JSON.parse(result.stdout);
    expect(typeof schema).toBe('object');
    const text = JSON.stringify(schema);
    for (const field of ['command', 'schedule', 'timeout', 'killGrace', 'onTimeout', 'overlap', 'maxOutput']) {
      expect(text).toContain(`"${field}"`);
    }
  });

  it('init creates a jobs directory whose example files validate', async () => {
    const target = join(tmp().dir, 'fresh', 'jobs.d');
    const init = await runCli(['init', target], { cwd: tmp().dir });
    expect(init.code, init.stderr).toBe(0);
    const files = (await readdir(target)).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(1);
    const result = await runCli(['validate', target], { cwd: tmp().dir });
    expect(result.code, result.stdout).toBe(0);
  });

  it('init without a directory creates ./jobs.d', async () => {
    const cwd = join(tmp().dir, 'project');
    await mkdir(cwd);
    const init = await runCli(['init'], { cwd });
    expect(init.code, init.stderr).toBe(0);
    expect((await readdir(join(cwd, 'jobs.d'))).some((name) => name.endsWith('.json'))).toBe(true);
  });

  it("the repository's bundled jobs.d has example jobs that all validate", async () => {
    const bundled = join(REPO_ROOT, 'jobs.d');
    const files = (await readdir(bundled)).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(1);
    const result = await runCli(['validate', bundled], { cwd: tmp().dir });
    expect(result.code, result.stdout).toBe(0);
  });
});
