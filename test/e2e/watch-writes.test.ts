import { rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeInChunks } from '../helpers/chunked-writer.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { writeJob } from '../helpers/jobs.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const is = (name: string, job?: string) => (e: LogEvent) => e.event === name && (job === undefined || e.job === job);
const output = (job: string, line: string) => (e: LogEvent) =>
  e.event === 'run.output' && e.job === job && e.line === line;

describe('editors and slow writers in jobs.d (SPEC §5)', () => {
  const tmp = useTempDir();

  it('an editor save by rename-over (swap file renamed onto the job) updates without a removal', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    const file = await writeJob(tmp().jobsDir, 'edited', { schedule: '@every 1s', command: 'echo v1' });
    await daemon.waitForEvent(output('edited', 'v1'), { timeoutMs: 8_000 });
    const before = daemon.mark();
    const swap = join(tmp().jobsDir, '.edited.json.swp');
    await writeFile(swap, JSON.stringify({ schedule: '@every 1s', command: 'echo v2' }));
    await rename(swap, file);
    await daemon.waitForEvent(output('edited', 'v2'), { timeoutMs: 8_000, after: before });
    const after = daemon.events.slice(before);
    expect(after.filter((e) => e.event === 'job.removed' || e.event === 'job.invalid')).toEqual([]);
    expect(after.filter(is('job.updated', 'edited')).length).toBeGreaterThanOrEqual(1);
  });

  it('an editor save by backup rename (x.json → x.json~, write x.json) never drops the job', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    const file = await writeJob(tmp().jobsDir, 'vim', { schedule: '@every 1s', command: 'echo v1' });
    await daemon.waitForEvent(output('vim', 'v1'), { timeoutMs: 8_000 });
    const before = daemon.mark();
    await rename(file, `${file}~`);
    await writeFile(file, JSON.stringify({ schedule: '@every 1s', command: 'echo v2' }));
    await unlink(`${file}~`);
    await daemon.waitForEvent(output('vim', 'v2'), { timeoutMs: 8_000, after: before });
    const after = daemon.events.slice(before);
    expect(after.filter((e) => e.event === 'job.removed' || e.event === 'job.invalid')).toEqual([]);
  });

  it('a file written in chunks is read whole: no half file loaded, the running job stays scheduled', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    const file = await writeJob(tmp().jobsDir, 'slow', { schedule: '@every 1s', command: 'sleep 0.5; echo v1' });
    const firstRun = await daemon.waitForEvent(is('run.start', 'slow'), { timeoutMs: 8_000 });
    const before = daemon.mark();
    const next = JSON.stringify({ schedule: '@every 1s', command: 'echo v2', description: 'x'.repeat(200) }, null, 2);
    await writeInChunks(file, next, 6, 70);
    await daemon.waitForEvent(output('slow', 'v2'), { timeoutMs: 8_000, after: before });
    const after = daemon.events.slice(before);
    expect(after.filter((e) => ['job.invalid', 'job.removed', 'job.loaded'].includes(e.event ?? ''))).toEqual([]);
    const firstEnd = daemon.events.find((e) => e.event === 'run.end' && e.run === firstRun.run);
    expect(firstEnd?.status).toBe('ok');

    const created = join(tmp().jobsDir, 'fresh.json');
    const mark = daemon.mark();
    await writeInChunks(created, JSON.stringify({ schedule: '@every 1s', command: 'echo fresh' }, null, 2), 5, 70);
    await daemon.waitForEvent(output('fresh', 'fresh'), { timeoutMs: 8_000, after: mark });
    expect(daemon.events.slice(mark).filter((e) => e.event === 'job.invalid')).toEqual([]);
    expect(daemon.events.slice(mark).filter(is('job.loaded', 'fresh'))).toHaveLength(1);
  });


  it('two rewrites in a row: the last one is what runs, even when the watcher reports only the first', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    const file = await writeJob(tmp().jobsDir, 'twice', { schedule: '@every 1s', command: 'echo v1' });
    await daemon.waitForEvent(output('twice', 'v1'), { timeoutMs: 8_000 });
    await writeFile(file, JSON.stringify({ schedule: '@every 1s', command: 'echo v2' }));
    await writeFile(file, JSON.stringify({ schedule: '@every 1s', command: 'echo v3' }));
    const before = daemon.mark();
    await daemon.waitForEvent(output('twice', 'v3'), { timeoutMs: 8_000 });
    const seenV3 = daemon.events.findIndex((e, i) => i >= before && output('twice', 'v3')(e));
    await daemon.waitForEvents(output('twice', 'v3'), 2, { timeoutMs: 8_000, after: seenV3 });
    const lines = daemon.events.slice(seenV3).filter((e) => e.event === 'run.output' && e.job === 'twice').map((e) => e.line);
    expect(lines.every((line) => line === 'v3')).toBe(true);
  });

  it('a writer pausing longer than the settle time never unschedules the job it is rewriting', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    const file = await writeJob(tmp().jobsDir, 'paced', { schedule: '@every 1s', command: 'echo v1' });
    await daemon.waitForEvent(output('paced', 'v1'), { timeoutMs: 8_000 });
    const before = daemon.mark();
    const next = JSON.stringify({ schedule: '@every 1s', command: 'echo v2', description: 'y'.repeat(120) }, null, 2);
    await writeInChunks(file, next, 6, 400);
    const during = daemon.events.slice(before);
    expect(during.filter(output('paced', 'v1')).length).toBeGreaterThanOrEqual(1);
    await daemon.waitForEvent(output('paced', 'v2'), { timeoutMs: 8_000, after: before });
    const after = daemon.events.slice(before);
    expect(after.filter(is('job.removed'))).toEqual([]);
    for (const invalid of after.filter(is('job.invalid'))) expect(invalid.keeping).toBe('paced');
    const lines = after.filter((e) => e.event === 'run.output' && e.job === 'paced').map((e) => e.line);
    expect(lines.every((line) => line === 'v1' || line === 'v2')).toBe(true);
  });
});
