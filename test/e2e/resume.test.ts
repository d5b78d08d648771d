import { lstat, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { socketRequest } from '../helpers/control-socket.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { linesOf, runCli } from '../helpers/cli.js';
import { checkpointCounter, inSeconds, readState, writeJob } from '../helpers/jobs.js';
import { isRunning, sleep, waitFor } from '../helpers/process.js';
import { startDaemon, type DaemonProcess, type LogEvent } from '../helpers/start-daemon.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;
const lineOf = (run: string, text: string) => (e: LogEvent) => e.event === 'run.output' && e.run === run && e.line === text;

const stepsOf = (daemon: DaemonProcess, run: string): number[] =>
  daemon.events
    .filter((e) => e.event === 'run.output' && e.run === run && /^step \d+$/.test(String(e.line)))
    .map((e) => Number(String(e.line).slice(5)));

const oneToN = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('resume interrupted runs from a checkpoint (issue 16)', () => {
  const tmp = useTempDir();
  const start = (shutdownGrace = '100ms') => startDaemon({ dir: tmp().dir, shutdownGrace });
  const checkpointOf = (job: string) => tmp().path('jobs_state.json.checkpoints', job);
  const jobDetail = async (daemon: DaemonProcess, job: string) =>
    (await socketRequest(tmp().path('jobd.sock'), 'GET', `/jobs/${job}`)).json as Record<string, unknown> & { history: LogEvent[] };
  const statusText = async (job: string) => {
    const shown = await runCli(['status', job, '--socket', tmp().path('jobd.sock')], { cwd: tmp().dir });
    expect(shown.code, shown.stderr).toBe(0);
    return shown.stdout;
  };
  // Every step any run of the counter made, as the command itself logged it: [run, step].
  const stepsLogged = async (): Promise<Array<[string, number]>> =>
    linesOf(await readFile(tmp().path('steps.log'), 'utf8')).map((line) => [line.split(' ')[0]!, Number(line.split(' ')[1])]);

  /** Starts a daemon, waits until the job's run has printed `started`, and stops the daemon with SIGTERM: that run is interrupted. */
  async function interruptedRunOf(job: string): Promise<LogEvent> {
    const daemon = await start();
    const run = await daemon.waitForEvent(is('run.start', job), { timeoutMs: 8_000 });
    await daemon.waitForEvent(lineOf(run.run!, 'started'));
    await daemon.stop('SIGTERM');
    return run;
  }

  async function counterAtStepFive(job: object) {
    const command = checkpointCounter(0.2, tmp().path('steps.log'));
    await writeJob(tmp().jobsDir, 'counter', { schedule: inSeconds(1), catchUp: true, command, killGrace: '1s', ...job });
    const daemon = await start();
    const first = await daemon.waitForEvent(is('run.start', 'counter'), { timeoutMs: 8_000 });
    await daemon.waitForEvent(lineOf(first.run!, 'step 5'));
    return { daemon, first };
  }

  // The resumed run goes on from exactly the step after the interrupted run's last checkpointed one:
  // together the two runs made each step 1..20 once, in order.
  async function expectResumedToTheEnd(daemon: DaemonProcess, interrupted: string, lastStep: number) {
    const resume = await daemon.waitForEvent('daemon.resume');
    expect(resume).toMatchObject({ count: 1, runs: [{ job: 'counter', resumeOf: interrupted }], held: [] });
    const run = (resume.runs as Array<{ run: string }>)[0]!.run;
    const started = await daemon.waitForEvent(is('run.start', 'counter'));
    expect(started).toMatchObject({ run, trigger: 'resume', resumeOf: interrupted });
    const end = await daemon.waitForEvent((e) => e.event === 'run.end' && e.run === run, { timeoutMs: 15_000 });
    expect(end.status).toBe('ok');
    expect(daemon.events.some(lineOf(run, `begin ${lastStep} trigger=resume resumeOf=${interrupted}`))).toBe(true);
    expect(stepsOf(daemon, run)).toEqual(oneToN(lastStep + 1, 20));
    expect(await stepsLogged()).toEqual([
      ...oneToN(1, lastStep).map((step): [string, number] => [interrupted, step]),
      ...oneToN(lastStep + 1, 20).map((step): [string, number] => [run, step]),
    ]);
    await waitFor(async () => (await lstat(checkpointOf('counter')).catch(() => null)) === null);
    const detail = await jobDetail(daemon, 'counter');
    expect(detail.checkpoint).toBeNull();
    expect(await statusText('counter')).toMatch(/^ *Checkpoint: none$/m);
    expect(detail.history.slice(-2)).toMatchObject([
      { run: interrupted, status: 'interrupted' },
      { run, status: 'ok', trigger: 'resume', resumeOf: interrupted, resumeCount: 1 },
    ]);
    expect(detail.state).toBe('done');
    return run;
  }

  it('issue 16: SIGTERM at step 5 with a short --shutdown-grace; the resumed run starts at the step after the last checkpointed one and ends ok', async () => {
    const { daemon, first } = await counterAtStepFive({ onInterrupted: 'resume' });
    await daemon.stop('SIGTERM');
    const end = daemon.events.find((e) => e.event === 'run.end' && e.run === first.run);
    expect(end?.status).toBe('interrupted');
    // SIGTERM came at step 5 (or a step later, the daemon and the test being slow): the run
    // printed each step up to its last checkpointed one, and that is what its checkpoint holds.
    const printed = stepsOf(daemon, first.run!);
    const last = printed.at(-1)!;
    expect(last).toBeGreaterThanOrEqual(5);
    expect(last).toBeLessThanOrEqual(8);
    expect(printed).toEqual(oneToN(1, last));
    expect(await readFile(checkpointOf('counter'), 'utf8')).toBe(String(last));

    const again = await start();
    await expectResumedToTheEnd(again, first.run!, last);
    await again.stop('SIGTERM');
  });

  it('issue 16: kill -9 of the daemon at step 5: the orphan is stopped first, then the run resumes from the step after its last checkpointed one', async () => {
    const { daemon, first } = await counterAtStepFive({ onInterrupted: 'resume' });
    await waitFor(async () => ((await readState(daemon.stateFile))?.running ?? []).some((r) => r.run === first.run));
    await daemon.kill9();
    const pid = first.pid as number;
    expect(isRunning(pid)).toBe(true);

    const again = await start();
    const interrupted = await again.waitForEvent((e) => e.event === 'run.end' && e.run === first.run);
    expect(interrupted).toMatchObject({ status: 'interrupted' });
    expect(interrupted.orphansStopped).toBeGreaterThanOrEqual(1);
    expect(isRunning(pid)).toBe(false);
    // The orphan counted on while no daemon read its output; its own log says where it stopped.
    const orphanSteps = (await stepsLogged()).filter(([run]) => run === first.run).map(([, step]) => step);
    const last = orphanSteps.at(-1)!;
    expect(last).toBeGreaterThanOrEqual(5);
    expect(orphanSteps).toEqual(oneToN(1, last));
    await expectResumedToTheEnd(again, first.run!, last);
    await again.stop('SIGTERM');
  });

  it('issue 16: the default "record" resumes nothing; the checkpoint is kept for the next run, which reads it', async () => {
    const { daemon, first } = await counterAtStepFive({});
    await daemon.stop('SIGTERM');
    const reached = Number(await readFile(checkpointOf('counter'), 'utf8'));
    expect(reached).toBeGreaterThanOrEqual(5);

    const again = await start();
    await sleep(1_000);
    expect(again.eventsOf('daemon.resume')).toEqual([]);
    expect(again.eventsOf('run.start')).toEqual([]);
    expect(((await stat(tmp().path('jobs_state.json.checkpoints'))).mode & 0o777).toString(8)).toBe('700');
    expect(((await stat(checkpointOf('counter'))).mode & 0o777).toString(8)).toBe('600');
    const detail = await jobDetail(again, 'counter');
    expect(detail.checkpoint).toMatchObject({ bytes: String(reached).length });
    expect(Date.parse((detail.checkpoint as { modifiedAt: string }).modifiedAt)).toBeGreaterThan(Date.now() - 60_000);

    const mark = again.mark();
    const reply = await socketRequest(tmp().path('jobd.sock'), 'POST', '/jobs/counter/run');
    const run = (reply.json as { run: string }).run;
    await again.waitForEvent((e) => e.event === 'run.end' && e.run === run, { timeoutMs: 15_000, after: mark });
    expect(again.events.some(lineOf(run, `begin ${reached} trigger=manual resumeOf=none`))).toBe(true);
    expect(stepsOf(again, run)[0]).toBe(reached + 1);
    await again.stop('SIGTERM');
  });

  it('issue 16: a resumed run that is itself interrupted is resumed again, each run naming the one before in JOBD_RESUME_OF; after maxResumes, recorded and not resumed', async () => {
    const command = 'echo "${JOBD_RESUME_OF:-none}" >> "$JOBD_CHECKPOINT"; echo started; sleep 30';
    await writeJob(tmp().jobsDir, 'long', { schedule: inSeconds(1), catchUp: true, command, onInterrupted: 'resume', maxResumes: 2 });
    const run1 = await interruptedRunOf('long');
    const run2 = await interruptedRunOf('long');
    const run3 = await interruptedRunOf('long');
    expect(run1).toMatchObject({ trigger: 'schedule' });
    expect(run2).toMatchObject({ trigger: 'resume', resumeOf: run1.run });
    expect(run3).toMatchObject({ trigger: 'resume', resumeOf: run2.run });
    // Each run read its JOBD_RESUME_OF and appended it to the checkpoint the runs share.
    expect(await readFile(checkpointOf('long'), 'utf8')).toBe(`none\n${run1.run}\n${run2.run}\n`);

    const fourth = await start();
    const held = await fourth.waitForEvent('daemon.resume');
    expect(held).toMatchObject({ count: 0, runs: [], held: [{ job: 'long', run: run3.run, reason: 'maxResumes' }] });
    await sleep(800);
    expect(fourth.eventsOf('run.start')).toEqual([]);
    const detail = await jobDetail(fourth, 'long');
    expect(detail.state).toBe('done');
    expect(detail.history.slice(-3)).toMatchObject([
      { run: run1.run, status: 'interrupted', trigger: 'schedule' },
      { run: run2.run, status: 'interrupted', trigger: 'resume', resumeOf: run1.run, resumeCount: 1 },
      { run: run3.run, status: 'interrupted', trigger: 'resume', resumeOf: run2.run, resumeCount: 2 },
    ]);
    await fourth.stop('SIGTERM');
  });

  it('issue 16: a job disabled while the daemon was down is not resumed at start; its checkpoint is kept and jobd status shows it', async () => {
    const job = { schedule: inSeconds(1), catchUp: true, command: 'echo progress > "$JOBD_CHECKPOINT"; echo started; sleep 30', onInterrupted: 'resume' };
    await writeJob(tmp().jobsDir, 'export', job);
    const run1 = await interruptedRunOf('export');
    await writeJob(tmp().jobsDir, 'export', { ...job, enabled: false });

    const again = await start();
    const held = await again.waitForEvent('daemon.resume');
    expect(held).toMatchObject({ count: 0, runs: [], held: [{ job: 'export', run: run1.run, reason: 'disabled' }] });
    await sleep(800);
    expect(again.eventsOf('run.start')).toEqual([]);
    expect(await readFile(checkpointOf('export'), 'utf8')).toBe('progress\n');
    const detail = await jobDetail(again, 'export');
    expect(detail.state).toBe('disabled');
    expect(detail.checkpoint).toMatchObject({ bytes: 9 });
    // issue 16: jobd status <id> shows whether there is a checkpoint, its size and age.
    const written = (await stat(checkpointOf('export'))).mtimeMs;
    const line = (await statusText('export')).split('\n').find((l) => l.trim().startsWith('Checkpoint:'));
    expect(line).toMatch(/^ *Checkpoint: 9 bytes, written \w{3} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d \((now|\d+s ago)\)$/);
    const stamp = line!.match(/written \w{3} (\S+ \S+) ([+-]\d\d):(\d\d)/)!;
    expect(Math.abs(Date.parse(`${stamp[1]!.replace(' ', 'T')}${stamp[2]}:${stamp[3]}`) - written)).toBeLessThan(1_000);
    await again.stop('SIGTERM');
  });

  it('issue 16: a paused job is not resumed; its checkpoint is kept', async () => {
    const { daemon, first } = await counterAtStepFive({ onInterrupted: 'resume' });
    expect((await socketRequest(tmp().path('jobd.sock'), 'POST', '/jobs/counter/pause')).status).toBe(200);
    await daemon.stop('SIGTERM');
    const reached = Number(await readFile(checkpointOf('counter'), 'utf8'));

    const again = await start();
    const held = await again.waitForEvent('daemon.resume');
    expect(held).toMatchObject({ count: 0, runs: [], held: [{ job: 'counter', run: first.run, reason: 'paused' }] });
    await sleep(800);
    expect(again.eventsOf('run.start')).toEqual([]);
    const detail = await jobDetail(again, 'counter');
    expect(detail.state).toBe('paused');
    expect(detail.checkpoint).toMatchObject({ bytes: String(reached).length });
    expect(await readFile(checkpointOf('counter'), 'utf8')).toBe(String(reached));
    await again.stop('SIGTERM');
  });

  it('issue 16: a resumed run counts for overlap and maxRuns', async () => {
    await writeJob(tmp().jobsDir, 'ticker', { schedule: '@every 1s', command: 'echo started; sleep 2', overlap: 'skip', maxRuns: 3, onInterrupted: 'resume' });
    const run1 = await interruptedRunOf('ticker');

    const again = await start();
    const resumed = await again.waitForEvent(is('run.start', 'ticker'));
    expect(resumed).toMatchObject({ trigger: 'resume', resumeOf: run1.run });
    const skip = await again.waitForEvent(is('run.skipped', 'ticker'), { timeoutMs: 5_000 });
    expect(skip).toMatchObject({ reason: 'overlap', runningRun: resumed.run });
    const [, last] = await again.waitForEvents(is('run.start', 'ticker'), 2, { timeoutMs: 10_000 });
    expect(last).toMatchObject({ trigger: 'schedule' });
    await again.waitForEvent((e) => e.event === 'run.end' && e.run === last!.run, { timeoutMs: 10_000 });
    await sleep(1_200);
    expect(again.eventsOf('run.start', 'ticker')).toHaveLength(2);
    const detail = await jobDetail(again, 'ticker');
    expect(detail).toMatchObject({ state: 'done', runCount: 3 });
    await again.stop('SIGTERM');
  });

  it('issue 16: a 2 MiB checkpoint is a warn event and is not kept', async () => {
    const command = 'head -c 2097152 /dev/zero > "$JOBD_CHECKPOINT"; exit 3';
    await writeJob(tmp().jobsDir, 'big', { schedule: inSeconds(1), catchUp: true, command });
    const daemon = await start();
    const warn = await daemon.waitForEvent('checkpoint.too_large', { timeoutMs: 8_000 });
    expect(warn).toMatchObject({ job: 'big', bytes: 2_097_152, maxBytes: 1_048_576, level: 'warn', path: checkpointOf('big') });
    const end = daemon.eventsOf('run.end', 'big')[0];
    expect(end).toMatchObject({ run: warn.run, status: 'failed' });
    expect(await lstat(checkpointOf('big')).catch(() => null)).toBeNull();
    expect((await jobDetail(daemon, 'big')).checkpoint).toBeNull();
    await daemon.stop('SIGTERM');
  });

  it('issue 16: a checkpoint replaced by a symlink never makes jobd write outside its directory', async () => {
    const outside = tmp().path('outside.txt');
    await writeFile(outside, 'precious');
    const command = `if [ -L "$JOBD_CHECKPOINT" ]; then echo link; else echo file $(wc -c < "$JOBD_CHECKPOINT"); fi; ln -sf '${outside}' "$JOBD_CHECKPOINT"; exit 1`;
    await writeJob(tmp().jobsDir, 'sly', { schedule: '@every 1s', command });
    const daemon = await start();
    await daemon.waitForEvents(is('run.end', 'sly'), 3, { timeoutMs: 10_000 });
    await daemon.stop('SIGTERM');
    expect(await readFile(outside, 'utf8')).toBe('precious');
    const lines = daemon.events.filter((e) => e.event === 'run.output' && e.job === 'sly').map((e) => e.line);
    expect(lines.slice(0, 3)).toEqual(['file 0', 'file 0', 'file 0']);
    expect(await readdir(tmp().path('jobs_state.json.checkpoints'))).toEqual(['sly']);
  });

  it('issue 13: an ok run that left its checkpoint empty keeps the same empty file; an ok run that wrote one has it removed', async () => {
    await writeJob(tmp().jobsDir, 'quiet', { schedule: '@every 1s', command: 'true' });
    await writeJob(tmp().jobsDir, 'writer', { schedule: '@every 1s', command: 'echo progress > "$JOBD_CHECKPOINT"' });
    const daemon = await start();
    await daemon.waitForEvent(is('run.end', 'quiet'), { timeoutMs: 8_000 });
    await daemon.waitForEvent(is('run.end', 'writer'), { timeoutMs: 8_000 });
    const first = await lstat(checkpointOf('quiet'));
    const ends = daemon.eventsOf('run.end', 'quiet').length;
    await daemon.waitForEvents(is('run.end', 'quiet'), ends + 2, { timeoutMs: 8_000 });
    const later = await lstat(checkpointOf('quiet'));
    expect(later.isFile() && later.size === 0 && (later.mode & 0o777) === 0o600).toBe(true);
    expect([later.ino, later.birthtimeMs]).toEqual([first.ino, first.birthtimeMs]);
    expect(daemon.eventsOf('run.end', 'quiet').every((e) => e.status === 'ok')).toBe(true);
    expect((await jobDetail(daemon, 'quiet')).checkpoint).toMatchObject({ bytes: 0 });
    const written = daemon.eventsOf('run.end', 'writer').length;
    await daemon.waitForEvents(is('run.end', 'writer'), written + 1, { timeoutMs: 8_000 });
    await waitFor(async () => (await lstat(checkpointOf('writer')).catch(() => null)) === null, { what: 'the written checkpoint removed' });
    expect(daemon.eventsOf('run.end', 'writer').every((e) => e.status === 'ok')).toBe(true);
    expect(daemon.events.some((e) => e.event === 'checkpoint.error')).toBe(false);
  }, 30_000);
});
