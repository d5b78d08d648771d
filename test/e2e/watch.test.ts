import { execFileSync } from 'node:child_process';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/e2e-setup.js';
import { writeJob } from '../helpers/jobs.js';
import { sleep } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const is = (name: string, job?: string) => (e: LogEvent) => e.event === name && (job === undefined || e.job === job);
const output = (job: string, line: string) => (e: LogEvent) =>
  e.event === 'run.output' && e.job === job && e.line === line;
const mentions = (e: LogEvent, file: string) => JSON.stringify(e).includes(file);

describe('watching jobs.d (SPEC §5)', () => {
  const tmp = useTempDir();

  it('an added, changed and deleted file takes effect while running', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    await writeJob(tmp().jobsDir, 'live', { schedule: '@every 1s', command: 'echo v1' });
    await daemon.waitForEvent(is('job.loaded', 'live'), { timeoutMs: 5_000 });
    await daemon.waitForEvent(output('live', 'v1'), { timeoutMs: 8_000 });

    await writeJob(tmp().jobsDir, 'live', { schedule: '@every 1s', command: 'echo v2' });
    await daemon.waitForEvent(is('job.updated', 'live'), { timeoutMs: 5_000 });
    const updatedAt = daemon.mark();
    await daemon.waitForEvent(output('live', 'v2'), { timeoutMs: 8_000, after: updatedAt });

    await unlink(join(tmp().jobsDir, 'live.json'));
    await daemon.waitForEvent(is('job.removed', 'live'), { timeoutMs: 5_000 });
    const removedAt = daemon.mark();
    await sleep(2_500);
    expect(daemon.events.slice(removedAt).filter(is('run.start', 'live'))).toEqual([]);
  });

  it('rewriting a file with the same job keeps its timeline', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    await writeJob(tmp().jobsDir, 'same', { schedule: '@every 3s', command: 'echo same', timeout: 10 });
    const loaded = await daemon.waitForEvent(is('job.loaded', 'same'), { timeoutMs: 5_000 });
    // Same job, other formatting and key order, and the default written out.
    await writeJob(tmp().jobsDir, 'same', '{"timeout":"10s","command":"echo same",\n"overlap":"skip","schedule":"@every 3s"}');
    await sleep(800);
    const start = await daemon.waitForEvent(is('run.start', 'same'), { timeoutMs: 8_000 });
    expect(start.scheduledAt).toBeDefined();
    expect(Date.parse(String(start.scheduledAt))).toBe(Date.parse(String(loaded.nextRunAt)));
    for (const updated of daemon.eventsOf('job.updated', 'same')) expect(updated.timelineKept).toBe(true);
  });

  it('an invalid edit is logged as job.invalid and the last valid version keeps firing', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    const file = await writeJob(tmp().jobsDir, 'keep', { schedule: '@every 1s', command: 'echo good' });
    await daemon.waitForEvent(output('keep', 'good'), { timeoutMs: 8_000 });
    await writeJob(tmp().jobsDir, 'keep', { schedule: '@every 1s', command: 'echo bad', timout: 5 });
    const invalid = await daemon.waitForEvent('job.invalid', { timeoutMs: 5_000 });
    expect(String(invalid.file)).toContain(basename(file));
    expect(invalid.path).toBe('timout');
    expect(typeof invalid.message).toBe('string');
    const after = daemon.mark();
    await daemon.waitForEvents(output('keep', 'good'), 2, { timeoutMs: 8_000, after });
    expect(daemon.events.slice(after).filter(output('keep', 'bad'))).toEqual([]);
    expect(daemon.eventsOf('job.removed', 'keep')).toEqual([]);

    await writeJob(tmp().jobsDir, 'keep', { schedule: '@every 1s', command: 'echo fixed' });
    await daemon.waitForEvent(output('keep', 'fixed'), { timeoutMs: 8_000 });
  });

  it('deleting a file lets the run in progress finish normally and fires no more', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    const file = await writeJob(tmp().jobsDir, 'gone', { schedule: '@every 1s', command: 'sleep 2; echo finished' });
    const start = await daemon.waitForEvent(is('run.start', 'gone'), { timeoutMs: 8_000 });
    await unlink(file);
    await daemon.waitForEvent(is('job.removed', 'gone'), { timeoutMs: 5_000 });
    const removedAt = daemon.mark();
    const end = await daemon.waitForEvent((e) => e.event === 'run.end' && e.run === start.run, { timeoutMs: 8_000 });
    expect(end.status).toBe('ok');
    expect(daemon.events.some(output('gone', 'finished'))).toBe(true);
    await sleep(1_500);
    expect(daemon.events.slice(removedAt).filter(is('run.start', 'gone'))).toEqual([]);
  });

  it('ignores hidden files, editor leftovers, temp files and sub-directories', async () => {
    const job = (id: string) => ({ id, schedule: '@every 1s', command: `echo ${id}` });
    const ignored = ['.hidden.json', 'x.json.swp', 'x.json~', '.#x.json', 'x.tmp', 'notes.txt'];
    const write = async (names: string[], prefix: string) => {
      for (const [i, name] of names.entries()) await writeFile(join(tmp().jobsDir, name), JSON.stringify(job(`${prefix}${i}`)));
      await mkdir(join(tmp().jobsDir, `${prefix}sub`), { recursive: true });
      await writeFile(join(tmp().jobsDir, `${prefix}sub`, 'nested.json'), JSON.stringify(job(`${prefix}nested`)));
    };
    await write(ignored, 'boot');
    await writeJob(tmp().jobsDir, 'real', job('real'));
    const daemon = await startDaemon({ dir: tmp().dir });
    await write(ignored.map((name) => name.replace('x', 'y').replace('hidden', 'later')), 'late');
    await daemon.waitForEvent(output('real', 'real'), { timeoutMs: 8_000 });
    await sleep(1_000);
    const loaded = daemon.events.filter((e) => e.event === 'job.loaded').map((e) => e.job);
    expect(loaded).toEqual(['real']);
    expect(daemon.events.filter((e) => e.event === 'job.invalid' || e.event === 'job.duplicate')).toEqual([]);
    expect(daemon.events.filter((e) => e.event === 'run.start' && e.job !== 'real')).toEqual([]);
  });

  it('two files with the same id: the first keeps it, the other is rejected naming both files', async () => {
    await writeJob(tmp().jobsDir, 'a-first', { id: 'same', schedule: '@every 1s', command: 'echo from-a' });
    await writeJob(tmp().jobsDir, 'b-second', { id: 'same', schedule: '@every 1s', command: 'echo from-b' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const duplicate = await daemon.waitForEvent('job.duplicate', { timeoutMs: 5_000 });
    expect(mentions(duplicate, 'a-first.json') && mentions(duplicate, 'b-second.json')).toBe(true);

    await writeJob(tmp().jobsDir, 'c-third', { id: 'same', schedule: '@every 1s', command: 'echo from-c' });
    const later = await daemon.waitForEvent((e) => e.event === 'job.duplicate' && mentions(e, 'c-third.json'), {
      timeoutMs: 5_000,
    });
    expect(mentions(later, 'a-first.json')).toBe(true);
    await daemon.waitForEvents(output('same', 'from-a'), 2, { timeoutMs: 8_000 });
    expect(daemon.events.filter((e) => e.event === 'run.output' && e.line !== 'from-a')).toEqual([]);
  });

  it('a FIFO named like a job file is refused at start without stalling the load', async () => {
    execFileSync('mkfifo', [join(tmp().jobsDir, 'pipe.json')]);
    await writeJob(tmp().jobsDir, 'zz-after', { schedule: '@every 1s', command: 'echo after' });
    const daemon = await startDaemon({ dir: tmp().dir, startTimeoutMs: 10_000 });
    const invalid = daemon.eventsOf('job.invalid').find((e) => mentions(e, 'pipe.json'));
    expect(invalid?.message).toContain('not a regular file');
    await daemon.waitForEvent(output('zz-after', 'after'), { timeoutMs: 8_000 });
  });

  it('1,000 job files dropped at once all load', { timeout: 60_000 }, async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    const staging = tmp().path('staging');
    await mkdir(staging);
    const names = Array.from({ length: 1000 }, (_, i) => `bulk-${String(i).padStart(4, '0')}`);
    await Promise.all(
      names.map((name) => writeFile(join(staging, `${name}.json`), JSON.stringify({ schedule: '0 0 1 1 *', command: 'true' }))),
    );
    for (const name of names) await rename(join(staging, `${name}.json`), join(tmp().jobsDir, `${name}.json`));
    await daemon.waitForEvents('job.loaded', 1000, { timeoutMs: 40_000 });
    const ids = new Set(daemon.eventsOf('job.loaded').map((e) => e.job));
    expect(ids.size).toBe(1000);
    expect(daemon.eventsOf('job.invalid')).toEqual([]);
  });
});
