import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { writeJob } from '../helpers/jobs.js';
import { waitFor } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const hookEvent = (name: string, hook: string) => (e: LogEvent) => e.event === name && e.hook === hook;

describe('hook output and end in the log (issue 14)', () => {
  const tmp = useTempDir();
  const cli = (...args: string[]) => runCli([...args, '--socket', tmp().path('jobd.sock')], { cwd: tmp().dir });

  it('issue 14: the bundled slow-export onTimeout message shows up as hook.output, then hook.end with exit code and duration', async () => {
    const bundled = JSON.parse(await readFile(join(REPO_ROOT, 'jobs.d', 'slow-export.json'), 'utf8')) as Record<string, unknown>;
    // The bundled job as shipped, but fired by hand and stopped sooner.
    await writeJob(tmp().jobsDir, 'slow-export', { ...bundled, schedule: '@yearly', timeout: '1s', killGrace: '500ms' });
    const daemon = await startDaemon({ dir: tmp().dir });
    expect((await cli('run', 'slow-export')).code).toBe(0);

    const line = await daemon.waitForEvent(hookEvent('hook.output', 'onTimeout'), { timeoutMs: 15_000 });
    expect(line).toMatchObject({ level: 'info', job: 'slow-export', run: 'slow-export-1', stream: 'stderr' });
    expect(line.line).toMatch(/^slow-export timed out after \d+ms, see .*followups\.log$/);
    const end = await daemon.waitForEvent(hookEvent('hook.end', 'onTimeout'), { timeoutMs: 15_000 });
    expect(end).toMatchObject({ level: 'info', job: 'slow-export', run: 'slow-export-1', exitCode: 0, signal: null });
    expect(end.durationMs).toEqual(expect.any(Number));
    expect(daemon.events.indexOf(line)).toBeLessThan(daemon.events.indexOf(end));
  });

  it('issue 14: onFailure and onSuccess output is logged with the hook name; a failing or killed hook ends as a warning with its code or signal', async () => {
    await writeJob(tmp().jobsDir, 'bad', { schedule: '@yearly', command: 'exit 3', onFailure: 'echo "cleaning up after $JOBD_RUN_ID"; echo oops >&2; exit 4' });
    await writeJob(tmp().jobsDir, 'good', { schedule: '@yearly', command: 'true', onSuccess: 'echo notified; kill -TERM $$' });
    const daemon = await startDaemon({ dir: tmp().dir });
    await cli('run', 'bad');
    await cli('run', 'good');

    const failEnd = await daemon.waitForEvent(hookEvent('hook.end', 'onFailure'), { timeoutMs: 15_000 });
    expect(failEnd).toMatchObject({ level: 'warn', job: 'bad', run: 'bad-1', exitCode: 4, signal: null });
    const failLines = daemon.events.filter(hookEvent('hook.output', 'onFailure')).map((e) => [e.stream, e.line]);
    expect(failLines).toEqual([['stdout', 'cleaning up after bad-1'], ['stderr', 'oops']]);

    const okEnd = await daemon.waitForEvent(hookEvent('hook.end', 'onSuccess'), { timeoutMs: 15_000 });
    expect(okEnd).toMatchObject({ level: 'warn', job: 'good', exitCode: null, signal: 'SIGTERM' });
    expect(okEnd.error).toBe('onSuccess command was killed by SIGTERM');
    expect(daemon.events.filter(hookEvent('hook.output', 'onSuccess')).map((e) => e.line)).toEqual(['notified']);
  });

  it('issue 14: hook output is bounded like run output: long lines cut and marked, a flood counted in hook.end, the daemon unharmed', async () => {
    const flood = "head -c 40000 /dev/zero | tr '\\0' x; echo; yes flood | head -n 20000";
    await writeJob(tmp().jobsDir, 'noisy', { schedule: '@yearly', command: 'true', onSuccess: flood });
    const daemon = await startDaemon({ dir: tmp().dir });
    await cli('run', 'noisy');

    const end = await daemon.waitForEvent(hookEvent('hook.end', 'onSuccess'), { timeoutMs: 20_000 });
    expect(end).toMatchObject({ exitCode: 0 });
    const lines = daemon.events.filter(hookEvent('hook.output', 'onSuccess'));
    expect(lines[0]).toMatchObject({ truncated: true });
    expect(String(lines[0]!.line).length).toBe(16 * 1024);
    expect(lines.length).toBeLessThanOrEqual(2_100);
    expect(Number(end.dropped)).toBe(20_001 - lines.length);
    expect((await cli('status')).code).toBe(0);
  });

  it('issue 14: run.start and run.end log the command and its args apart, and the pretty log shows them apart', async () => {
    await writeJob(tmp().jobsDir, 'export', { schedule: '@yearly', command: 'echo "exporting $1"; wait', args: ['customers'] });
    const daemon = await startDaemon({ dir: tmp().dir });
    await cli('run', 'export');
    const start = await daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'export');
    expect(start).toMatchObject({ command: 'echo "exporting $1"; wait', args: ['customers'] });
    const end = await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'export');
    expect(end).toMatchObject({ command: 'echo "exporting $1"; wait', args: ['customers'] });
    await daemon.stop();

    const pretty = await startDaemon({ dir: tmp().dir, args: ['--pretty'], waitForStart: false });
    await waitFor(() => pretty.rawLines.some((l) => l.includes('started (pid')), { what: 'the pretty start line' });
    await cli('run', 'export');
    const line = await waitFor(() => pretty.rawLines.find((l) => l.includes('Started job export')), { what: 'the pretty run.start line' });
    expect(line).toMatch(/Started job export \(export-2, manual\): echo "exporting \$1"; wait args \["customers"\]$/);
    const executed = await waitFor(() => pretty.rawLines.find((l) => l.includes('Executed job export')), { what: 'the pretty run.end line' });
    expect(executed).toMatch(/Executed job export: echo "exporting \$1"; wait args \["customers"\] \(ok, /);
  });
});

