import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { socketRequest } from '../../helpers/control-socket.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, startHostileDaemon } from '../../helpers/hostile.js';
import { linesOf, runCli } from '../../helpers/cli.js';
import { readState, writeJob } from '../../helpers/jobs.js';
import { waitFor } from '../../helpers/process.js';
import type { LogEvent } from '../../helpers/start-daemon.js';

const deep = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

/** Job files whose values nest thousands of levels deep, each in another place a value is shown or walked. */
const DEEP_FILES: Record<string, string> = {
  'deep-file': deep(10_000),
  'deep-args': `{"schedule": "@every 1s", "command": "true", "args": [${deep(4_100)}]}`,
  'deep-env': `{"schedule": "@every 1s", "command": "true", "env": {"A": ${deep(4_100)}}}`,
  'deep-description': `{"schedule": "@every 1s", "command": "true", "description": ${deep(4_100)}}`,
  'deep-cron': `{"schedule": {"cron": ${deep(4_100)}}, "command": "true"}`,
  'deep-command': `{"schedule": "@every 1s", "command": ${deep(4_100)}}`,
};

const DEEP_PATHS: Record<string, string> = {
  'deep-file': '', 'deep-args': 'args', 'deep-env': 'env', 'deep-description': 'description', 'deep-cron': 'schedule', 'deep-command': 'command',
};

const TOO_DEEP = /^arrays and objects are nested more than 64 levels deep \(line 1 column \d+\); a job file needs a few levels at most$/;

const invalidOf = (events: LogEvent[], file: string): LogEvent | undefined =>
  events.find((e) => e.event === 'job.invalid' && e.file === file);

describe('hostile job files: nesting', () => {
  const tmp = useTempDir();

  it('issue 11.1: job files nested 10,000 deep at start-up are job.invalid naming the file; the daemon starts and other jobs run', async () => {
    for (const [name, text] of Object.entries(DEEP_FILES)) writeFileSync(join(tmp().jobsDir, `${name}.json`), text);
    await writeJob(tmp().jobsDir, 'neighbour', { schedule: '@every 1s', command: 'echo neighbour' });
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    for (const name of Object.keys(DEEP_FILES)) {
      const invalid = invalidOf(target.daemon.events, join(tmp().jobsDir, `${name}.json`));
      expect(invalid, name).toBeDefined();
      expect(invalid!.path, name).toBe(DEEP_PATHS[name]);
      expect(invalid!.message, name).toMatch(TOO_DEEP);
    }
    expect(target.daemon.eventsOf('daemon.start')[0]?.invalid).toBe(Object.keys(DEEP_FILES).length);
    await target.daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'neighbour' && e.status === 'ok', { timeoutMs: 8_000 });
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.1: a job file changed to 4,100 levels deep while running is job.invalid; its last valid version and the others keep running', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    const victim = await writeJob(tmp().jobsDir, 'victim', { schedule: '@every 1s', command: 'echo victim' });
    await target.daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'victim' && e.status === 'ok', { timeoutMs: 8_000 });
    const mark = target.daemon.mark();
    await writeJob(tmp().jobsDir, 'victim', DEEP_FILES['deep-args']!);
    await writeJob(tmp().jobsDir, 'newcomer', DEEP_FILES['deep-file']!);
    const invalid = await target.daemon.waitForEvent((e) => e.event === 'job.invalid' && e.file === victim, { after: mark });
    expect(invalid).toMatchObject({ path: 'args', keeping: 'victim' });
    expect(invalid.message).toMatch(TOO_DEEP);
    await target.daemon.waitForEvent((e) => e.event === 'job.invalid' && e.file === join(tmp().jobsDir, 'newcomer.json'), { after: mark });
    const after = target.daemon.mark();
    await target.daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'victim' && e.status === 'ok', { after, timeoutMs: 8_000 });
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });
});

describe('hostile job files: encodings, prototype names, repeated keys, maxOutput', () => {
  const tmp = useTempDir();

  it('issue 11.25: UTF-16, invalid UTF-8, a non-UTF-8 name and prototype names are job.invalid with what to do; a UTF-8 BOM is accepted', async () => {
    const dir = tmp().jobsDir;
    const job = '{"schedule": "@every 1s", "command": "echo hi"}';
    writeFileSync(join(dir, 'utf16.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(job, 'utf16le')]));
    writeFileSync(join(dir, 'latin1.json'), Buffer.from('{"schedule": "@every 1s", "command": "echo caf\xe9"}', 'latin1'));
    writeFileSync(Buffer.from(`${dir}/name\xff.json`, 'latin1'), job);
    writeFileSync(join(dir, 'proto.json'), '{"schedule": "@every 1s", "command": "true", "constructor": 1, "env": {"__proto__": "x"}}');
    writeFileSync(join(dir, 'output.json'), '{"schedule": "@every 1s", "command": "true", "maxOutput": 104857600}');
    writeFileSync(join(dir, 'bom.json'), `\uFEFF{"schedule": "@every 1s", "command": "echo bom"}`);
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    const { events } = target.daemon;
    expect(invalidOf(events, join(dir, 'utf16.json'))?.message).toBe('the file is encoded as UTF-16, which is not supported; save it as UTF-8');
    expect(invalidOf(events, join(dir, 'latin1.json'))?.message).toBe('the file is not valid UTF-8 (byte 0xe9 at line 1 column 47); save it as UTF-8');
    expect(invalidOf(events, join(dir, 'name\uFFFD.json'))?.message).toBe('the file name is not valid UTF-8; rename the file');
    expect(invalidOf(events, join(dir, 'proto.json'))?.problems).toEqual([
      { path: 'constructor', message: expect.stringMatching(/^unknown field; expected one of: id, description, schedule, command/) },
      { path: 'env.__proto__', message: 'expected an environment variable name: not empty, without "=" or a NUL character, and not "__proto__", got "__proto__"' },
    ]);
    expect(invalidOf(events, join(dir, 'output.json'))).toMatchObject({
      path: 'maxOutput', message: 'expected an integer from 0 to 16777216 (bytes, at most 16 MiB), got 104857600',
    });
    await target.daemon.waitForEvent((e) => e.event === 'run.output' && e.job === 'bom' && e.line === 'bom', { timeoutMs: 8_000 });
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.25: a job file with a repeated key loads with the last value and logs job.warning naming the file and the key', async () => {
    const file = join(tmp().jobsDir, 'twice.json');
    writeFileSync(file, '{\n  "schedule": "@every 1s",\n  "command": "echo first",\n  "command": "echo last"\n}\n');
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms' });
    expect(target.daemon.eventsOf('job.warning')).toEqual([expect.objectContaining({
      level: 'warn', file, path: 'command', message: 'the key is given more than once (lines 3 and 4); the last value is used',
    })]);
    const output = await target.daemon.waitForEvent((e) => e.event === 'run.output' && e.job === 'twice', { timeoutMs: 8_000 });
    expect(output.line).toBe('last');
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });
});

describe('hostile job files: long after chains', () => {
  const tmp = useTempDir();

  function writeChain(count: number): void {
    for (let i = 0; i < count; i++) {
      const job = i === 0 ? { schedule: '@yearly', command: 'true' } : { after: [`link${i - 1}`], command: 'true' };
      writeFileSync(join(tmp().jobsDir, `link${i}.json`), JSON.stringify(job));
    }
  }

  it('issue 11.19: a 3,000-job after chain and a 1,000-job after cycle start in seconds, each cycle job named once with a short message', async () => {
    writeChain(3_000);
    for (let i = 0; i < 1_000; i++) writeFileSync(join(tmp().jobsDir, `ring${i}.json`), JSON.stringify({ after: [`ring${(i + 1) % 1_000}`], command: 'true' }));
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms', startTimeoutMs: 25_000 });
    // The after check runs between the last file loaded and the start line: it took seconds per thousand jobs.
    const lastLoaded = target.daemon.eventsOf('job.loaded').at(-1)!;
    const start = target.daemon.eventsOf('daemon.start')[0]!;
    expect(Date.parse(String(start.time)) - Date.parse(String(lastLoaded.time))).toBeLessThan(1_000);
    const cycles = target.daemon.events.filter((e) => e.event === 'job.invalid' && e.path === 'after');
    expect(cycles).toHaveLength(1_000);
    expect(cycles[0]!.message).toBe('cycle: ring0 → ring1 → ring2 → ring3 → ring4 → ring5 → … → ring995 → ring996 → ring997 → ring998 → ring999 → ring0 (1000 jobs)');
    expect(Math.max(...cycles.map((e) => String(e.message).length))).toBeLessThan(200);
    const status = await socketRequest(target.socket, 'GET', '/status', { timeoutMs: 5_000 });
    expect(status.status).toBe(200);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.19: SIGTERM during the load of a 5,000-job after chain stops the daemon promptly with exit 0, keeping every record', async () => {
    writeChain(5_000);
    const first = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms', startTimeoutMs: 25_000 });
    expect((await first.daemon.stop('SIGTERM', 20_000)).code).toBe(0);
    expect((await readState(first.daemon.stateFile))?.jobs).toHaveLength(5_001);
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms', waitForStart: false });
    await target.daemon.waitForEvent('job.loaded', { timeoutMs: 15_000 });
    const signalled = Date.now();
    const exit = await target.daemon.stop('SIGTERM', 10_000);
    expect(exit.code, target.daemon.stderr()).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(target.daemon.eventsOf('daemon.stop')).toHaveLength(1);
    expect((await readState(target.daemon.stateFile))?.jobs).toHaveLength(5_001);
  });

  it('issue 11.19: SIGTERM while the state of 5,000 jobs is restored and the directory first scanned is held, then a clean stop', async () => {
    writeChain(5_000);
    const first = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms', startTimeoutMs: 25_000 });
    expect((await first.daemon.stop('SIGTERM', 20_000)).code).toBe(0);
    expect(existsSync(first.socket)).toBe(false);
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '500ms', waitForStart: false });
    // The socket is up before the state file is read: from here on start-up reads state and scans files.
    await waitFor(() => existsSync(target.socket), { timeoutMs: 15_000, intervalMs: 5, what: 'the control socket' });
    const exit = await target.daemon.stop('SIGTERM', 10_000);
    expect({ code: exit.code, signal: exit.signal }, target.daemon.stderr()).toEqual({ code: 0, signal: null });
    expect(target.daemon.eventsOf('daemon.stop')).toHaveLength(1);
    expect((await readState(target.daemon.stateFile))?.jobs).toHaveLength(5_001);
  });
});

describe('hostile job files: jobd validate', () => {
  const tmp = useTempDir();

  it('issue 11.1, 11.4, 11.25: jobd validate prints one line per problem of each hostile file and exits 1, never a stack trace', async () => {
    const dir = tmp().jobsDir;
    for (const [name, text] of Object.entries(DEEP_FILES)) writeFileSync(join(dir, `${name}.json`), text);
    writeFileSync(join(dir, 'utf16.json'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{}', 'utf16le').swap16()]));
    writeFileSync(join(dir, 'latin1.json'), Buffer.from('{"schedule": "@daily", "command": "echo caf\xe9"}', 'latin1'));
    writeFileSync(Buffer.from(`${dir}/name\xff.json`, 'latin1'), '{"schedule": "@daily", "command": "true"}');
    writeFileSync(join(dir, 'proto.json'), '{"schedule": "@daily", "command": "true", "__proto__": {}, "toString": "x"}');
    writeFileSync(join(dir, 'output.json'), '{"schedule": "@daily", "command": "true", "maxOutput": 104857600}');
    const result = await runCli(['validate', dir], { cwd: tmp().dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const lines = linesOf(result.stdout);
    const at = (name: string): string => join(dir, name);
    const expected = [
      ...Object.keys(DEEP_FILES).sort().map((name) => (DEEP_PATHS[name] ? `${at(`${name}.json`)}: ${DEEP_PATHS[name]}: ` : `${at(`${name}.json`)}: `)),
      `${at('latin1.json')}: the file is not valid UTF-8 (byte 0xe9 at line 1 column 44); save it as UTF-8`,
      `${at('name\uFFFD.json')}: the file name is not valid UTF-8; rename the file`,
      `${at('output.json')}: maxOutput: expected an integer from 0 to 16777216 (bytes, at most 16 MiB), got 104857600`,
      `${at('proto.json')}: __proto__: unknown field; expected one of: id, description, schedule, command`,
      `${at('proto.json')}: toString: unknown field; expected one of: id, description, schedule, command`,
      `${at('utf16.json')}: the file is encoded as UTF-16, which is not supported; save it as UTF-8`,
    ];
    expect(lines).toHaveLength(expected.length);
    expected.forEach((start, i) => expect(lines[i]!.startsWith(start), `${lines[i]} starts with ${start}`).toBe(true));
    for (const line of lines.slice(0, Object.keys(DEEP_FILES).length)) expect(line).toMatch(/nested more than 64 levels deep/);
    expect(result.stdout).not.toMatch(/\n\s+at /);
  });

  it('issue 11.19: jobd validate checks a 3,000-job after chain and a 3,000-job cycle in seconds, one line per job on the cycle', async () => {
    const dir = tmp().jobsDir;
    for (let i = 0; i < 3_000; i++) {
      writeFileSync(join(dir, `link${i}.json`), JSON.stringify(i === 0 ? { schedule: '@daily', command: 'true' } : { after: [`link${i - 1}`], command: 'true' }));
      writeFileSync(join(dir, `ring${i}.json`), JSON.stringify({ after: [`ring${(i + 1) % 3_000}`], command: 'true' }));
    }
    const started = Date.now();
    const result = await runCli(['validate', dir], { cwd: tmp().dir });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: '' });
    const lines = linesOf(result.stdout);
    expect(lines).toHaveLength(3_000);
    expect(lines[0]).toBe(`${join(dir, 'ring0.json')}: after: cycle: ring0 → ring1 → ring2 → ring3 → ring4 → ring5 → … → ` +
      'ring2995 → ring2996 → ring2997 → ring2998 → ring2999 → ring0 (3000 jobs)');
  });

  it('issue 11.25: jobd validate prints a warning line for a repeated key and still exits 0', async () => {
    const file = join(tmp().jobsDir, 'twice.json');
    writeFileSync(file, '{"schedule": "@daily",\n"env": {"A": "1",\n"A": "2"}, "command": "true"}');
    const result = await runCli(['validate', file], { cwd: tmp().dir });
    expect({ code: result.code, stderr: result.stderr, lines: linesOf(result.stdout) }).toEqual({
      code: 0,
      stderr: '',
      lines: [`warning: ${file}: env.A: the key is given more than once (lines 2 and 3); the last value is used`, 'ok: 1 job file valid'],
    });
  });
});
