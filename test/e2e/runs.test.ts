import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/e2e-setup.js';
import { inSeconds, readJobRecord, writeJob } from '../helpers/jobs.js';
import { waitFor } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;
const outputOf = (events: LogEvent[], run: unknown, stream = 'stdout') =>
  events.filter((e) => e.event === 'run.output' && e.run === run && e.stream === stream).map((e) => e.line);

describe('runs (SPEC §6)', () => {
  const tmp = useTempDir();

  it('a zero exit is ok and a non-zero exit is failed, with the exit code', async () => {
    await writeJob(tmp().jobsDir, 'good', { schedule: '@every 1s', command: 'exit 0' });
    await writeJob(tmp().jobsDir, 'bad', { schedule: '@every 1s', command: 'exit 3' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const good = await daemon.waitForEvent(is('run.end', 'good'), { timeoutMs: 8_000 });
    const bad = await daemon.waitForEvent(is('run.end', 'bad'), { timeoutMs: 8_000 });
    expect(good).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(bad).toMatchObject({ status: 'failed', exitCode: 3 });
    expect(typeof good.durationMs).toBe('number');
    expect(String(good.run)).toMatch(/^good-/);
  });

  it('the command sees JOBD_JOB_ID, JOBD_RUN_ID, JOBD_SCHEDULED_AT, JOBD_TRIGGER and the job env', async () => {
    await writeJob(tmp().jobsDir, 'envjob', {
      schedule: '@every 1s',
      env: { GREETING: 'hello there' },
      command: 'echo "$JOBD_JOB_ID|$JOBD_RUN_ID|$JOBD_SCHEDULED_AT|$JOBD_TRIGGER|$GREETING"',
    });
    const daemon = await startDaemon({ dir: tmp().dir });
    const start = await daemon.waitForEvent(is('run.start', 'envjob'), { timeoutMs: 8_000 });
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.run === start.run, { timeoutMs: 5_000 });
    const [line] = outputOf(daemon.events, start.run);
    const [job, run, scheduledAt, trigger, greeting] = String(line).split('|');
    expect(job).toBe('envjob');
    expect(run).toBe(start.run);
    expect(Date.parse(scheduledAt!)).toBe(Date.parse(String(start.scheduledAt)));
    expect(scheduledAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(trigger).toBe('schedule');
    expect(greeting).toBe('hello there');
  });

  it("the command inherits jobd's environment, and the job's env wins over it", async () => {
    await writeJob(tmp().jobsDir, 'inherits', {
      schedule: '@every 1s',
      env: { SHARED: 'from-job' },
      command: 'echo "$FROM_DAEMON|$SHARED"',
    });
    const daemon = await startDaemon({ dir: tmp().dir, env: { FROM_DAEMON: 'daemon-value', SHARED: 'from-daemon' } });
    const start = await daemon.waitForEvent(is('run.start', 'inherits'), { timeoutMs: 8_000 });
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.run === start.run, { timeoutMs: 5_000 });
    expect(outputOf(daemon.events, start.run)).toEqual(['daemon-value|from-job']);
  });

  it('args become $1…$n of a shell command', async () => {
    await writeJob(tmp().jobsDir, 'shellargs', {
      schedule: '@every 1s',
      command: 'echo "[$1][$2][$3][$#]"',
      args: ['a b', 7, true],
    });
    const daemon = await startDaemon({ dir: tmp().dir });
    const end = await daemon.waitForEvent(is('run.end', 'shellargs'), { timeoutMs: 8_000 });
    expect(outputOf(daemon.events, end.run)).toEqual(['[a b][7][true][3]']);
  });

  it('args are appended to an argv command, with no shell in between', async () => {
    await writeJob(tmp().jobsDir, 'argv', {
      schedule: '@every 1s',
      command: [process.execPath, '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', 'fixed'],
      args: ['a b', 3, '$HOME'],
    });
    const daemon = await startDaemon({ dir: tmp().dir });
    const end = await daemon.waitForEvent(is('run.end', 'argv'), { timeoutMs: 8_000 });
    expect(end.status).toBe('ok');
    expect(outputOf(daemon.events, end.run)).toEqual([JSON.stringify(['fixed', 'a b', '3', '$HOME'])]);
  });

  it('stdout and stderr are logged line by line as run.output', async () => {
    await writeJob(tmp().jobsDir, 'talk', {
      schedule: '@every 1s',
      command: 'echo one; echo two; echo oops >&2; printf three',
    });
    const daemon = await startDaemon({ dir: tmp().dir });
    const end = await daemon.waitForEvent(is('run.end', 'talk'), { timeoutMs: 8_000 });
    expect(outputOf(daemon.events, end.run, 'stdout')).toEqual(['one', 'two', 'three']);
    expect(outputOf(daemon.events, end.run, 'stderr')).toEqual(['oops']);
  });

  it('the state file keeps only the last maxOutput bytes of output', async () => {
    await writeJob(tmp().jobsDir, 'chatty', {
      schedule: '@every 1s',
      maxOutput: 100,
      command: 'i=0; while [ $i -lt 500 ]; do echo "line-$i"; i=$((i+1)); done',
    });
    const daemon = await startDaemon({ dir: tmp().dir });
    const end = await daemon.waitForEvent(is('run.end', 'chatty'), { timeoutMs: 8_000 });
    expect(end.status).toBe('ok');
    const record = await waitFor(
      async () => {
        const job = await readJobRecord(daemon.stateFile, 'chatty');
        if (!job) return null;
        return job.history?.find((r) => r.run === end.run) ?? (job.lastRun?.run === end.run ? job.lastRun : null);
      },
      { timeoutMs: 5_000, what: `run ${String(end.run)} in the state file` },
    );
    const stdout = (record as { stdout?: string }).stdout ?? '';
    expect(Buffer.byteLength(stdout)).toBeLessThanOrEqual(100);
    expect(stdout).toMatch(/line-499\n?$/);
    expect(stdout).not.toContain('line-1\n');
  });

  it('a command that cannot be spawned is failed, and the daemon keeps going', async () => {
    await writeJob(tmp().jobsDir, 'missing', { schedule: '@every 1s', command: ['/nonexistent/no-such-binary'] });
    const daemon = await startDaemon({ dir: tmp().dir });
    const ends = await daemon.waitForEvents(is('run.end', 'missing'), 2, { timeoutMs: 10_000 });
    for (const end of ends) expect(end.status).toBe('failed');
    expect(daemon.hasExited()).toBe(false);
  });

  it('a fire while the previous run still runs is skipped by default, naming the running run', async () => {
    await writeJob(tmp().jobsDir, 'busy', { schedule: '@every 1s', command: 'sleep 2.5' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const start = await daemon.waitForEvent(is('run.start', 'busy'), { timeoutMs: 8_000 });
    const skipped = await daemon.waitForEvent(is('run.skipped', 'busy'), { timeoutMs: 5_000 });
    expect(skipped).toMatchObject({ reason: 'overlap', runningRun: start.run });
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.run === start.run, { timeoutMs: 8_000 });
    const starts = daemon.eventsOf('run.start', 'busy');
    const ends = daemon.eventsOf('run.end', 'busy');
    expect(starts.length - ends.length).toBeLessThanOrEqual(1);
  });

  it('a missing cwd or command fails the run with a line saying which, and the daemon goes on', async () => {
    const missing = tmp().path('no-such-dir');
    await writeJob(tmp().jobsDir, 'lost', { schedule: '@every 1s', command: 'true', cwd: missing });
    await writeJob(tmp().jobsDir, 'typo', { schedule: '@every 1s', command: ['no-such-program-jobd'] });
    const daemon = await startDaemon({ dir: tmp().dir });
    const lost = await daemon.waitForEvent(is('run.end', 'lost'), { timeoutMs: 8_000 });
    expect([lost.status, lost.exitCode, lost.error]).toEqual(['failed', null, `cwd does not exist: ${missing}`]);
    const typo = await daemon.waitForEvent(is('run.end', 'typo'), { timeoutMs: 8_000 });
    expect([typo.status, typo.error]).toEqual(['failed', 'command not found: no-such-program-jobd']);
    await daemon.waitForEvents(is('run.end', 'lost'), 2, { timeoutMs: 8_000 });
    expect(daemon.hasExited()).toBe(false);
    expect((await daemon.stop()).code).toBe(0);
  });
});
