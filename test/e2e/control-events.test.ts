import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { writeJob } from '../helpers/jobs.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const is = (name: string, job?: string) => (e: LogEvent) => e.event === name && (job === undefined || e.job === job);

describe('issue 14: control actions and levels are logged', () => {
  const tmp = useTempDir();
  const cli = (...args: string[]) => runCli([...args, '--socket', tmp().path('jobd.sock')], { cwd: tmp().dir });

  it('issue 14.5: pause, resume, run and cancel from the command line are logged as job.paused, job.resumed, run.requested, run.cancel', async () => {
    await writeJob(tmp().jobsDir, 'steered', { schedule: '@yearly', command: 'sleep 30' });
    const daemon = await startDaemon({ dir: tmp().dir });

    expect((await cli('pause', 'steered')).code).toBe(0);
    expect(await daemon.waitForEvent(is('job.paused', 'steered'))).toMatchObject({ level: 'info', running: [] });
    expect((await cli('resume', 'steered')).code).toBe(0);
    const resumed = await daemon.waitForEvent(is('job.resumed', 'steered'));
    expect(typeof resumed.nextRunAt).toBe('string');

    const started = await cli('run', 'steered');
    expect(started.code, started.stderr).toBe(0);
    const requested = await daemon.waitForEvent(is('run.requested', 'steered'));
    const start = await daemon.waitForEvent(is('run.start', 'steered'));
    expect(requested.run).toBe(start.run);

    expect((await cli('cancel', 'steered')).code).toBe(0);
    expect(await daemon.waitForEvent(is('run.cancel', 'steered'))).toMatchObject({ runs: [start.run] });
    expect(await daemon.waitForEvent(is('run.end', 'steered'))).toMatchObject({ status: 'cancelled' });
    expect((await daemon.stop()).code).toBe(0);
  });

  it('issue 14.5: SIGHUP is logged as log.reopened naming the log file', async () => {
    const logFile = tmp().path('jobd.log');
    await writeJob(tmp().jobsDir, 'quiet', { schedule: '@yearly', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--log-file', logFile] });
    daemon.child.kill('SIGHUP');
    expect(await daemon.waitForEvent('log.reopened')).toMatchObject({ level: 'info', file: logFile });
    expect((await daemon.stop()).code).toBe(0);
  });

  it('issue 14.6: state.saved is logged at debug, so not at the default level', async () => {
    await writeJob(tmp().jobsDir, 'ticker', { schedule: '@every 1s', command: 'true' });
    const quiet = await startDaemon({ dir: tmp().dir });
    await quiet.waitForEvents(is('run.end', 'ticker'), 2, { timeoutMs: 8_000 });
    expect((await quiet.stop()).code).toBe(0);
    expect(quiet.eventsOf('state.saved')).toEqual([]);

    const verbose = await startDaemon({ dir: tmp().dir, args: ['--log-level', 'debug'] });
    expect(await verbose.waitForEvent('state.saved', { timeoutMs: 8_000 })).toMatchObject({ level: 'debug' });
    expect((await verbose.stop()).code).toBe(0);
  });
});
