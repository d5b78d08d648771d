import { execFileSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, startHostileDaemon } from '../../helpers/hostile.js';
import { inSeconds, readJobRecord, readState, writeJob } from '../../helpers/jobs.js';
import { startDaemon } from '../../helpers/start-daemon.js';

const DEEP = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;

const run = (job: string, n: number): Record<string, unknown> => ({
  run: `${job}-${n}`, job, trigger: 'schedule', status: 'ok', scheduledAt: '2026-06-01T01:00:00.000Z', startedAt: '2026-06-01T01:00:00.010Z',
  endedAt: '2026-06-01T01:00:01.210Z', durationMs: 1_200, pid: 321, exitCode: 0, signal: null, stdout: 'done\n', stderr: '',
});

const definition = (jobsDir: string, id: string): Record<string, unknown> => ({
  id, file: join(jobsDir, `${id}.json`), schedule: { kind: 'interval', everyMs: 3_600_000 }, command: { shell: 'true' }, args: [],
  cwd: '/', env: { TOKEN: '(hidden)' }, timeoutMs: null, killGraceMs: 5_000, onTimeout: null, onFailure: null, onSuccess: null,
  overlap: 'skip', retries: 0, retryDelayMs: 10_000, maxRuns: null, jitterMs: 0, catchUp: false, after: [], enabled: true, maxOutput: 65_536,
});

/** A record as jobd writes it, for the job `id` of `jobsDir`, before an attack is put into it. */
const jobRecord = (jobsDir: string, id: string): Record<string, unknown> => ({
  id, file: join(jobsDir, `${id}.json`), definition: definition(jobsDir, id), state: 'scheduled', nextRunAt: null, lastFireAt: null,
  lastStartedAt: null, lastOkAt: null, runCount: 2, runSeq: 2, paused: false, lastRun: run(id, 2), history: [run(id, 1), run(id, 2)],
});

/** A state file whose `victim` record has `replace` put into it as raw JSON text at `field`. */
function stateText(jobsDir: string, field: string, replace: string): string {
  const record = jobRecord(jobsDir, 'victim');
  const marker = '"__ATTACK__"';
  const path = field.split('.');
  let target = record as Record<string, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[path.at(-1)!] = '__ATTACK__';
  return JSON.stringify({ version: 1, savedAt: '2026-06-01T02:00:00.000Z', jobs: [record], running: [] }).replace(marker, replace);
}

interface Attack {
  name: string;
  /** Writes the state file (and job files) into `dir`. */
  prepare(dir: string, jobsDir: string, stateFile: string): Promise<void>;
}

const ATTACKS: Attack[] = [
  ...['definition.env.TOKEN', 'history.1', 'lastRun.stdout'].map((field) => ({
    name: `a 10,000-deep value in ${field}`,
    prepare: async (_dir: string, jobsDir: string, stateFile: string) => {
      await writeJob(jobsDir, 'victim', { schedule: '@every 1h', command: 'true' });
      await writeFile(stateFile, stateText(jobsDir, field, DEEP));
    },
  })),
  {
    name: '"definition": {} for a job whose file is now invalid',
    prepare: async (_dir, jobsDir, stateFile) => {
      await writeJob(jobsDir, 'victim', { schedule: '@every 1h' });
      await writeFile(stateFile, stateText(jobsDir, 'definition', '{}'));
    },
  },
  {
    name: 'a field of the wrong type (lastRun.exitCode "0")',
    prepare: async (_dir, jobsDir, stateFile) => {
      await writeJob(jobsDir, 'victim', { schedule: '@every 1h', command: 'true' });
      await writeFile(stateFile, stateText(jobsDir, 'lastRun.exitCode', '"0"'));
    },
  },
  {
    name: 'a state file over 256 MiB',
    prepare: async (_dir, jobsDir, stateFile) => {
      await writeJob(jobsDir, 'victim', { schedule: '@every 1h', command: 'true' });
      await writeFile(stateFile, stateText(jobsDir, 'lastRun.stderr', '""'));
      await truncate(stateFile, 256 * 1024 * 1024 + 1);
    },
  },
];

async function attackOne(attack: Attack, dir: string): Promise<void> {
  const jobsDir = join(dir, 'jobs.d');
  await mkdir(jobsDir, { recursive: true });
  const stateFile = join(dir, 'jobs_state.json');
  await attack.prepare(dir, jobsDir, stateFile);
  const before = await stat(stateFile);
  const original = before.size < 1024 * 1024 ? await readFile(stateFile) : null;
  const target = await startHostileDaemon({ dir, startTimeoutMs: 30_000 });
  const corrupt = target.daemon.eventsOf('state.corrupt')[0];
  expect(corrupt, `${attack.name}: state.corrupt logged`).toMatchObject({ file: stateFile, movedTo: expect.stringContaining('.corrupt-') });
  const movedTo = corrupt!.movedTo as string;
  if (original) expect((await readFile(movedTo)).equals(original), `${attack.name}: moved aside with its bytes`).toBe(true);
  else expect((await stat(movedTo)).size).toBe(before.size);
  await expectStillHealthy(target);
  // The new state file is jobd's own again, and reads back.
  await expectCleanStop(target);
  const state = await readState(stateFile);
  expect(state?.jobs.map((job) => job.id)).toContain('heartbeat');
}

describe('hostile: the state file', () => {
  const tmp = useTempDir();

  it(
    'issue 11.3: a state file with a 10,000-deep value, "definition": {} for an invalid job, a wrong field type, or over 256 MiB is state.corrupt, moved aside with its bytes, and jobd runs',
    { timeout: 60_000 },
    async () => {
      // Side by side, one daemon each: the attacks do not share anything.
      await Promise.all(ATTACKS.map((attack, i) => attackOne(attack, tmp().path(`attack-${i}`))));
    },
  );

  it('issue 11.12: a second daemon on the same state file exits 1 naming the first one\'s pid; after kill -9 of the first a new one starts', { timeout: 30_000 }, async () => {
    const first = await startHostileDaemon({ dir: tmp().dir });
    const lock = `${first.daemon.stateFile}.lock`;
    expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({ pid: first.daemon.pid });
    const second = await startDaemon({ dir: tmp().dir, args: ['--socket', tmp().path('other.sock')], waitForStart: false });
    const exit = await second.exitWithin(10_000);
    expect(exit.code).toBe(1);
    expect(second.stderr()).toContain(`pid ${first.daemon.pid}`);
    expect(second.eventsOf('run.start')).toEqual([]);
    await expectStillHealthy(first);

    await first.daemon.kill9();
    const third = await startHostileDaemon({ dir: tmp().dir });
    expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({ pid: third.daemon.pid });
    await expectStillHealthy(third);
    await expectCleanStop(third);
    // Released on stop.
    await expect(lstat(lock)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('issue 11.12: a lock naming a live pid with another start time is stale and taken over', async () => {
    // This test's own pid is alive, but did not start at tick 1 after boot.
    await writeFile(tmp().path('jobs_state.json.lock'), `${JSON.stringify({ pid: process.pid, start: '1' })}\n`);
    const target = await startHostileDaemon({ dir: tmp().dir });
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.13: a symlink planted at the old predictable temp name is not followed; saves go on', async () => {
    const precious = tmp().path('precious.txt');
    await writeFile(precious, 'precious\n');
    const target = await startHostileDaemon({ dir: tmp().dir, args: ['--log-level', 'debug'] });
    // The names the writer used to take: .<state>.<pid>.<sequence>.tmp.
    for (let n = 1; n <= 300; n += 1) await symlink(precious, tmp().path(`.jobs_state.json.${target.daemon.pid}.${n}.tmp`));
    const mark = target.daemon.mark();
    await target.daemon.waitForEvents('state.saved', 2, { after: mark, timeoutMs: 10_000 });
    expect(await readFile(precious, 'utf8')).toBe('precious\n');
    expect((await stat(target.daemon.stateFile)).mode & 0o777).toBe(0o600);
    expect(target.daemon.eventsOf('state.error')).toEqual([]);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.10: temp files of interrupted saves are removed at start; other files stay', async () => {
    const stale = [
      '.jobs_state.json.999999999.1.tmp',
      '.jobs_state.json.999999999.0123456789abcdef.tmp',
      '.jobs_state.json.lock.999999999.0123456789abcdef.tmp',
    ];
    const kept = ['.other.json.999999999.1.tmp', 'jobs_state.json.corrupt-2026-01-01T00-00-00-000Z'];
    for (const name of [...stale, ...kept]) await writeFile(tmp().path(name), 'left over\n');
    const target = await startHostileDaemon({ dir: tmp().dir });
    const names = await readdir(tmp().dir);
    for (const name of stale) expect(names).not.toContain(name);
    for (const name of kept) expect(names).toContain(name);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.4: a run printing 2 MiB keeps its whole tail in lastRun and the last 64 KiB in the state file\'s history', { timeout: 30_000 }, async () => {
    const size = 2 * 1024 * 1024;
    await writeJob(tmp().jobsDir, 'loud', { schedule: inSeconds(1), maxOutput: size, command: `head -c ${size} /dev/zero | tr '\\0' x; printf END` });
    const target = await startHostileDaemon({ dir: tmp().dir, args: ['--log-level', 'debug'] });
    await target.daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'loud', { timeoutMs: 10_000 });
    const mark = target.daemon.mark();
    await target.daemon.waitForEvent('state.saved', { after: mark, timeoutMs: 5_000 });
    const loud = await readJobRecord(target.daemon.stateFile, 'loud');
    const lastRun = loud?.lastRun as { stdout: string } | undefined;
    const kept = loud?.history[0] as { stdout: string } | undefined;
    expect(lastRun?.stdout).toHaveLength(size);
    expect(lastRun?.stdout.endsWith('END')).toBe(true);
    expect(kept?.stdout).toHaveLength(64 * 1024);
    expect(kept?.stdout.endsWith('xEND')).toBe(true);
    expect(target.daemon.eventsOf('state.error')).toEqual([]);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.3: jobd next on a FIFO or a 10,000-deep state file answers, instead of hanging or crashing', async () => {
    await writeJob(tmp().jobsDir, 'tick', { schedule: '@every 1h', command: 'true' });
    const deep = tmp().path('deep.json');
    await writeFile(deep, stateText(tmp().jobsDir, 'lastRun.stdout', DEEP));
    const fifo = tmp().path('fifo.json');
    execFileSync('mkfifo', [fifo]);
    for (const stateFile of [deep, fifo]) {
      const result = await runCli(['next', join(tmp().jobsDir, 'tick.json'), '--state-file', stateFile, '-n', '2'], { cwd: tmp().dir, timeoutMs: 10_000 });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trim().split('\n')).toHaveLength(2);
    }
  });

  it('issue 11.25: a save on a full disk is a state.error saying "disk full (ENOSPC)", and jobd runs on', { timeout: 30_000 }, async () => {
    const small = await smallDisk(tmp().path('small'));
    try {
      const stateFile = join(small.path, 'jobs_state.json');
      const target = await startHostileDaemon({ dir: tmp().dir, args: ['--state-file', stateFile, '--log-level', 'debug'] });
      await target.daemon.waitForEvent('state.saved', { timeoutMs: 5_000 });
      small.fill();
      const error = await target.daemon.waitForEvent('state.error', { after: target.daemon.mark(), timeoutMs: 10_000 });
      expect(error.message).toMatch(small.expected);
      await expectStillHealthy(target);
      await expectCleanStop(target);
    } finally {
      small.release();
    }
  });
});

/**
 * A directory whose writes fail once `fill()` is called: a 1 MiB tmpfs that it fills
 * (ENOSPC) where this test may mount one, else a directory it replaces with a plain file
 * (ENOTDIR, which fails for root too).
 */
async function smallDisk(path: string): Promise<{ path: string; fill(): void; release(): void; expected: RegExp }> {
  await mkdir(path);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', path], { stdio: 'ignore' });
  } catch {
    return {
      path,
      fill: () => {
        renameSync(path, `${path}.aside`);
        writeFileSync(path, 'not a directory\n');
      },
      release: () => undefined,
      expected: /^not a directory \(ENOTDIR\)/,
    };
  }
  return {
    path,
    fill: () => {
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${join(path, 'filler')}`, 'bs=64k'], { stdio: 'ignore' });
      } catch {
        // dd ends with ENOSPC once the disk is full: that is the point.
      }
    },
    release: () => execFileSync('umount', ['-l', path]),
    expected: /^disk full \(ENOSPC\)/,
  };
}
