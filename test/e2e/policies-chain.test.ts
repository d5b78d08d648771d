import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/e2e-setup.js';
import { inSeconds, writeJob } from '../helpers/jobs.js';
import { sleep } from '../helpers/process.js';
import { mostAliveAtOnce } from '../helpers/marks.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;

describe('after chains and --max-concurrency (SPEC §2 after, §6)', () => {
  const tmp = useTempDir();

  it('after: a → b → c runs in order, b and c with trigger after', async () => {
    const order = tmp().path('order.log');
    const daemon = await startDaemon({ dir: tmp().dir });
    await writeJob(tmp().jobsDir, 'c', { after: ['b'], command: `echo c >> '${order}'` });
    await writeJob(tmp().jobsDir, 'b', { after: ['a'], command: `echo b >> '${order}'` });
    await daemon.waitForEvent(is('job.loaded', 'b'), { timeoutMs: 5_000 });
    await daemon.waitForEvent(is('job.loaded', 'c'), { timeoutMs: 5_000 });
    await writeJob(tmp().jobsDir, 'a', { schedule: inSeconds(2), command: `sleep 0.3; echo a >> '${order}'` });

    const cEnd = await daemon.waitForEvent(is('run.end', 'c'), { timeoutMs: 12_000 });
    expect(cEnd.status).toBe('ok');
    const at = (match: (e: LogEvent) => boolean) => daemon.events.findIndex(match);
    const aEnd = at(is('run.end', 'a'));
    const bStart = at(is('run.start', 'b'));
    const bEnd = at(is('run.end', 'b'));
    const cStart = at(is('run.start', 'c'));
    expect(aEnd).toBeGreaterThanOrEqual(0);
    expect(aEnd).toBeLessThan(bStart);
    expect(bEnd).toBeLessThan(cStart);
    expect(daemon.eventsOf('run.start', 'a')[0]?.trigger).toBe('schedule');
    expect(daemon.events[bStart]?.trigger).toBe('after');
    expect(daemon.events[cStart]?.trigger).toBe('after');
    expect(daemon.eventsOf('run.end', 'b')[0]?.trigger).toBe('after');
    expect(await readFile(order, 'utf8')).toBe('a\nb\nc\n');

    // One run of a, one of each dependent: nothing runs twice.
    await sleep(1_000);
    for (const id of ['a', 'b', 'c']) expect(daemon.eventsOf('run.start', id)).toHaveLength(1);
  });

  it('after: a dependent does not run when its upstream fails', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    await writeJob(tmp().jobsDir, 'report', { after: ['extract'], command: 'true' });
    await daemon.waitForEvent(is('job.loaded', 'report'), { timeoutMs: 5_000 });
    await writeJob(tmp().jobsDir, 'extract', { schedule: inSeconds(2), command: 'exit 1' });
    const end = await daemon.waitForEvent(is('run.end', 'extract'), { timeoutMs: 12_000 });
    expect(end.status).toBe('failed');
    await sleep(1_000);
    expect(daemon.eventsOf('run.start', 'report')).toEqual([]);
  });

  it('--max-concurrency 2: ten jobs due on the same second never run more than two commands at once', async () => {
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--max-concurrency', '2'] });
    const at = inSeconds(3);
    const names = Array.from({ length: 10 }, (_, i) => `due${i}`);
    for (const name of names) {
      const marks = tmp().path(`${name}.marks`);
      await writeJob(tmp().jobsDir, name, {
        schedule: at,
        command: `echo "start $(date +%s%3N)" >> '${marks}'; sleep 0.4; echo "end $(date +%s%3N)" >> '${marks}'`,
      });
    }
    const ends = await daemon.waitForEvents((e) => e.event === 'run.end', 10, { timeoutMs: 20_000 });
    for (const end of ends) expect(end.status).toBe('ok');
    expect(new Set(ends.map((e) => e.job))).toEqual(new Set(names));

    // From the log: never more than two runs between run.start and run.end.
    let running = 0;
    let most = 0;
    for (const e of daemon.events) {
      if (e.event === 'run.start') most = Math.max(most, ++running);
      if (e.event === 'run.end') running--;
    }
    expect(most).toBe(2);
    // Every run keeps the instant it was due; the late ones started later.
    for (const start of daemon.eventsOf('run.start')) expect(Date.parse(String(start.scheduledAt))).toBe(Date.parse(at));

    // From the commands themselves: never more than two alive at once.
    const concurrent = await mostAliveAtOnce(names.map((name) => tmp().path(`${name}.marks`)));
    expect(concurrent.marks).toBe(20);
    expect(concurrent.most).toBeLessThanOrEqual(2);
  });
});
