import { execFileSync } from 'node:child_process';
import { chmod, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeInChunks } from '../../helpers/chunked-writer.js';
import { runCli } from '../../helpers/cli.js';
import { socketRequest } from '../../helpers/control-socket.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, HEARTBEAT, startHostileDaemon, type HostileDaemon } from '../../helpers/hostile.js';
import { writeJob } from '../../helpers/jobs.js';
import { sleep } from '../../helpers/process.js';
import type { LogEvent } from '../../helpers/start-daemon.js';

const is = (name: string, job?: string) => (e: LogEvent) => e.event === name && (job === undefined || e.job === job);
const output = (job: string, line: string) => (e: LogEvent) => e.event === 'run.output' && e.job === job && e.line === line;
const aboutFile = (name: string) => (e: LogEvent) => typeof e.file === 'string' && e.file.endsWith(`/${name}`);
const heartbeatOk = (e: LogEvent) => e.event === 'run.end' && e.job === HEARTBEAT && e.status === 'ok';
const echoJob = (line: string) => ({ schedule: '@every 1s', command: `echo ${line}` });

/** A directory filled with the heartbeat and `jobs`, ready to be moved into place whole. */
async function stagedDir(path: string, jobs: Record<string, object>, mode = 0o755): Promise<string> {
  await mkdir(path);
  await chmod(path, mode);
  await writeJob(path, HEARTBEAT, { schedule: '@every 1s', command: 'true' });
  for (const [name, job] of Object.entries(jobs)) await writeJob(path, name, job);
  return path;
}

/** Waits for watch.lost after `mark`, and checks it is an error naming the path and a reason. */
async function expectLost(target: HostileDaemon, jobsDir: string, mark: number, reason: RegExp): Promise<LogEvent> {
  const lost = await target.daemon.waitForEvent((e) => e.event === 'watch.lost' && reason.test(String(e.reason)), { after: mark, timeoutMs: 5_000 });
  expect(lost.level).toBe('error');
  expect(lost.path).toBe(jobsDir);
  return lost;
}

describe('hostile: the jobs directory goes away, comes back, is swapped', () => {
  const tmp = useTempDir();

  it('issue 11.20: jobs.d deleted and re-created: watch.lost, jobs keep running meanwhile, then watch.restored and the new content wins', async () => {
    await writeJob(tmp().jobsDir, 'old', echoJob('old'));
    const target = await startHostileDaemon({ dir: tmp().dir });
    await target.daemon.waitForEvent(output('old', 'old'), { timeoutMs: 8_000 });

    const mark = target.daemon.mark();
    await rm(tmp().jobsDir, { recursive: true });
    await expectLost(target, tmp().jobsDir, mark, /removed/);
    // While it is gone, the jobs last loaded from it go on firing.
    await target.daemon.waitForEvent(output('old', 'old'), { after: mark, timeoutMs: 8_000 });
    await target.daemon.waitForEvent(heartbeatOk, { after: mark, timeoutMs: 8_000 });
    expect(target.daemon.events.slice(mark).filter(is('job.removed'))).toEqual([]);

    await rename(await stagedDir(tmp().path('staging'), { fresh: echoJob('fresh') }), tmp().jobsDir);
    await target.daemon.waitForEvent(is('watch.restored'), { after: mark, timeoutMs: 5_000 });
    await target.daemon.waitForEvent(is('job.removed', 'old'), { after: mark, timeoutMs: 5_000 });
    await target.daemon.waitForEvent(output('fresh', 'fresh'), { after: mark, timeoutMs: 8_000 });
    // Watched again for good: a file added now is loaded too.
    await writeJob(tmp().jobsDir, 'later', echoJob('later'));
    await target.daemon.waitForEvent(output('later', 'later'), { after: mark, timeoutMs: 8_000 });
    expect(target.daemon.events.slice(mark).filter(is('job.removed', HEARTBEAT))).toEqual([]);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.20: rm -rf jobs.d then mkdir at once (the same inode on ext4) is noticed, and a new file loads', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir });
    const mark = target.daemon.mark();
    await rm(tmp().jobsDir, { recursive: true });
    await mkdir(tmp().jobsDir, { mode: 0o755 });
    await writeJob(tmp().jobsDir, HEARTBEAT, { schedule: '@every 1s', command: 'true' });
    await expectLost(target, tmp().jobsDir, mark, /./);
    await target.daemon.waitForEvent(is('watch.restored'), { after: mark, timeoutMs: 5_000 });
    await writeJob(tmp().jobsDir, 'after', echoJob('after'));
    await target.daemon.waitForEvent(output('after', 'after'), { after: mark, timeoutMs: 8_000 });
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.20: jobs.d swapped for a symlink: the target is watched, its files load, the old directory is no longer read', async () => {
    await writeJob(tmp().jobsDir, 'v1', echoJob('v1'));
    const target = await startHostileDaemon({ dir: tmp().dir });
    await target.daemon.waitForEvent(output('v1', 'v1'), { timeoutMs: 8_000 });

    const mark = target.daemon.mark();
    const release = await stagedDir(tmp().path('release-2'), { v2: echoJob('v2') });
    await rename(tmp().jobsDir, tmp().path('release-1'));
    await symlink(release, tmp().jobsDir);
    await expectLost(target, tmp().jobsDir, mark, /./);
    await target.daemon.waitForEvent(is('watch.restored'), { after: mark, timeoutMs: 5_000 });
    await target.daemon.waitForEvent(is('job.removed', 'v1'), { after: mark, timeoutMs: 5_000 });
    await target.daemon.waitForEvent(output('v2', 'v2'), { after: mark, timeoutMs: 8_000 });

    await writeJob(tmp().jobsDir, 'v2-extra', echoJob('extra'));
    await writeJob(tmp().path('release-1'), 'ghost', echoJob('ghost'));
    await target.daemon.waitForEvent(output('v2-extra', 'extra'), { after: mark, timeoutMs: 8_000 });
    expect(target.daemon.events.filter(is('job.loaded', 'ghost'))).toEqual([]);
    const loaded = target.daemon.events.find((e) => e.event === 'job.loaded' && e.job === 'v2-extra');
    expect(loaded?.file).toBe(join(tmp().jobsDir, 'v2-extra.json'));

    // A deploy that retargets the symlink in one rename (ln -sfn) is a swap too.
    const retargeted = target.daemon.mark();
    const release3 = await stagedDir(tmp().path('release-3'), { v3: echoJob('v3') });
    await symlink(release3, tmp().path('jobs.d.next'));
    await rename(tmp().path('jobs.d.next'), tmp().jobsDir);
    await expectLost(target, tmp().jobsDir, retargeted, /symlink to .*release-3/);
    await target.daemon.waitForEvent(is('job.removed', 'v2'), { after: retargeted, timeoutMs: 5_000 });
    await target.daemon.waitForEvent(output('v3', 'v3'), { after: retargeted, timeoutMs: 8_000 });
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.20: a re-created jobs.d writable by others is refused like at start-up, until it is fixed', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir });
    const mark = target.daemon.mark();
    await rm(tmp().jobsDir, { recursive: true });
    await expectLost(target, tmp().jobsDir, mark, /removed/);
    await rename(await stagedDir(tmp().path('staging'), { open: echoJob('open') }, 0o777), tmp().jobsDir);
    const refused = await expectLost(target, tmp().jobsDir, mark, /writable by group and others/);
    expect(String(refused.reason)).toContain('--insecure-permissions');
    // Two look-ups later, still refused.
    await sleep(1_100);
    expect(target.daemon.events.filter(is('job.loaded', 'open'))).toEqual([]);
    expect(target.daemon.events.filter(is('watch.restored'))).toEqual([]);

    await chmod(tmp().jobsDir, 0o755);
    await target.daemon.waitForEvent(is('watch.restored'), { after: mark, timeoutMs: 5_000 });
    await target.daemon.waitForEvent(output('open', 'open'), { after: mark, timeoutMs: 8_000 });
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });
});

describe('hostile: files that are no regular job file, created while running', () => {
  const tmp = useTempDir();

  it('issue 11.23: a FIFO, a symlink to a device, a symlink loop, a dangling symlink and a mode-000 file are reported as at start-up', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir });
    const dir = tmp().jobsDir;
    const mark = target.daemon.mark();
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    await symlink('/dev/zero', join(dir, 'device.json'));
    await symlink('loop.json', join(dir, 'loop.json'));
    await symlink('nowhere.json', join(dir, 'dangling.json'));
    await writeFile(join(dir, 'locked.json'), JSON.stringify(echoJob('locked')), { mode: 0o000 });
    const invalid = ['fifo.json', 'device.json', 'loop.json', 'dangling.json'];
    // Root reads a mode-000 file (and jobd runs as root here); anyone else is refused it.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) invalid.push('locked.json');

    const seen = new Map<string, string>();
    for (const name of invalid) {
      const event = await target.daemon.waitForEvent((e) => e.event === 'job.invalid' && aboutFile(name)(e), { after: mark, timeoutMs: 5_000 });
      seen.set(name, String(event.message));
    }
    expect(seen.get('fifo.json')).toContain('not a regular file');
    expect(seen.get('device.json')).toContain('/dev/zero');
    expect(seen.get('loop.json')).toMatch(/ELOOP|too many symbolic links/);
    expect(seen.get('dangling.json')).toMatch(/ENOENT|does not exist/);
    if (asRoot) await target.daemon.waitForEvent(output('locked', 'locked'), { after: mark, timeoutMs: 8_000 });
    else expect(seen.get('locked.json')).toContain('permission denied');

    const status = (await socketRequest(target.socket, 'GET', '/status')).json as { invalidFiles: Array<{ file: string }> };
    for (const name of invalid) expect(status.invalidFiles.map((p) => p.file)).toContain(join(dir, name));
    const table = await runCli(['status', '--socket', target.socket], { cwd: tmp().dir });
    expect(table.code, table.stderr).toBe(0);
    for (const name of invalid) expect(table.stdout).toContain(`invalid: ${join(dir, name)}: ${seen.get(name)}`);
    await expectStillHealthy(target);
    await expectCleanStop(target);

    // The same files at start-up: the same lines.
    const again = await startHostileDaemon({ dir: tmp().dir });
    for (const name of invalid) {
      const event = again.daemon.events.find((e) => e.event === 'job.invalid' && aboutFile(name)(e));
      expect(event?.message, name).toBe(seen.get(name));
    }
    expect(again.daemon.eventsOf('job.loaded', 'locked')).toHaveLength(asRoot ? 1 : 0);
    await expectStillHealthy(again);
    await expectCleanStop(again);
  });

  it('issue 11.23: a burst of mixed entries while running ends as at start-up: jobs loaded, the rest invalid, deleted ones gone', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir });
    const dir = tmp().jobsDir;
    const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}.json`);
    const good = names('good', 20);
    const bad = { fifo: names('fifo', 6), dangling: names('dangling', 6), loop: names('loop', 6), broken: names('broken', 6) };
    const gone = names('gone', 6);
    await Promise.all([
      ...good.map((name) => writeJob(dir, name, { schedule: '@every 1h', command: 'true' })),
      ...bad.fifo.map(async (name) => execFileSync('mkfifo', [join(dir, name)])),
      ...bad.dangling.map((name) => symlink(`missing-${name}`, join(dir, name))),
      ...bad.loop.map((name) => symlink(name, join(dir, name))),
      ...bad.broken.map((name) => writeFile(join(dir, name), '{"schedule": "@every 1h", "command": ')),
      ...gone.map(async (name) => {
        await writeFile(join(dir, name), JSON.stringify({ schedule: '@every 1h', command: 'true' }));
        await rm(join(dir, name));
      }),
      ...names('subdir', 3).map((name) => mkdir(join(dir, name))),
    ]);
    const invalid = Object.values(bad).flat().map((name) => join(dir, name)).sort();
    const jobIds = (status: { jobs: Array<{ id: string; state: string }> }) =>
      status.jobs.filter((job) => job.state !== 'invalid').map((job) => job.id).sort();
    const expectedIds = [HEARTBEAT, ...good.map((name) => name.replace('.json', ''))].sort();
    const statusNow = async () => (await socketRequest(target.socket, 'GET', '/status')).json as {
      jobs: Array<{ id: string; state: string }>; invalidFiles: Array<{ file: string; message: string }>;
    };
    let status = await statusNow();
    for (let tries = 0; tries < 50 && (status.invalidFiles.length < invalid.length || jobIds(status).length < expectedIds.length); tries++) {
      await sleep(100);
      status = await statusNow();
    }
    await sleep(800);
    status = await statusNow();
    expect(status.invalidFiles.map((p) => p.file).sort()).toEqual(invalid);
    expect(jobIds(status)).toEqual(expectedIds);
    await expectStillHealthy(target);
    await expectCleanStop(target);

    const again = await startHostileDaemon({ dir: tmp().dir });
    const atStart = (await socketRequest(again.socket, 'GET', '/status')).json as typeof status;
    const lines = (s: typeof status) => s.invalidFiles.map((p) => `${p.file}: ${p.message}`).sort();
    expect(lines(atStart)).toEqual(lines(status));
    expect(jobIds(atStart)).toEqual(expectedIds);
    await expectCleanStop(again);
  });

  it('issue 11.24: a writer pausing 200-300 ms between chunks gets no job.invalid, and the final job is taken', async () => {
    await writeJob(tmp().jobsDir, 'paced', echoJob('v1'));
    const target = await startHostileDaemon({ dir: tmp().dir });
    await target.daemon.waitForEvent(output('paced', 'v1'), { timeoutMs: 8_000 });
    const mark = target.daemon.mark();
    const text = (line: string) => JSON.stringify({ ...echoJob(line), description: 'z'.repeat(150) }, null, 2);
    await Promise.all([
      writeInChunks(join(tmp().jobsDir, 'paced.json'), text('v2'), 5, 300),
      writeInChunks(join(tmp().jobsDir, 'fresh.json'), text('fresh'), 5, 200),
    ]);
    await target.daemon.waitForEvent(output('paced', 'v2'), { after: mark, timeoutMs: 8_000 });
    await target.daemon.waitForEvent(output('fresh', 'fresh'), { after: mark, timeoutMs: 8_000 });
    await sleep(700);
    const after = target.daemon.events.slice(mark);
    expect(after.filter(is('job.invalid'))).toEqual([]);
    expect(after.filter(is('job.removed'))).toEqual([]);
    expect(after.filter(is('job.loaded', 'fresh'))).toHaveLength(1);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });
});
