import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { socketRequest } from '../helpers/control-socket.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { readJobRecord, writeJob } from '../helpers/jobs.js';
import { sleep } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;

describe('pause, resume and the socket across daemons (SPEC §1, §10)', () => {
  const tmp = useTempDir();
  const sock = () => tmp().path('jobd.sock');
  const cli = (...args: string[]) => runCli([...args, '--socket', sock()], { cwd: tmp().dir });
  const stateOf = async (id: string) => {
    const result = await cli('status', '--json');
    expect(result.code, `status --json: ${result.stderr}`).toBe(0);
    const body = JSON.parse(result.stdout) as { jobs: Array<{ id: string; state: string }> };
    return body.jobs.find((job) => job.id === id)?.state;
  };

  it('pause stops scheduled runs and survives a restart; resume brings them back', async () => {
    await writeJob(tmp().jobsDir, 'ticker', { schedule: '*/1 * * * * *', command: 'true' });
    const first = await startDaemon({ dir: tmp().dir });
    await first.waitForEvent(is('run.end', 'ticker'), { timeoutMs: 8_000 });

    const paused = await cli('pause', 'ticker');
    expect(paused.code, paused.stderr).toBe(0);
    const mark = first.mark();
    await sleep(2_500);
    expect(first.events.slice(mark).filter(is('run.start', 'ticker'))).toEqual([]);
    expect(await stateOf('ticker')).toBe('paused');
    expect((await first.stop()).code).toBe(0);
    expect(await readJobRecord(first.stateFile, 'ticker')).toMatchObject({ paused: true, state: 'paused' });

    const second = await startDaemon({ dir: tmp().dir });
    expect(second.eventsOf('job.loaded', 'ticker')[0]).toMatchObject({ state: 'paused' });
    await sleep(2_500);
    expect(second.eventsOf('run.start', 'ticker')).toEqual([]);
    expect(await stateOf('ticker')).toBe('paused');

    const resumed = await cli('resume', 'ticker');
    expect(resumed.code, resumed.stderr).toBe(0);
    const start = await second.waitForEvent(is('run.start', 'ticker'), { timeoutMs: 8_000 });
    expect(start.trigger).toBe('schedule');
    expect(['scheduled', 'running']).toContain(await stateOf('ticker'));
  });

  it('a second jobd start on the socket of a running daemon exits 1 saying so, and the first keeps running', async () => {
    const first = await startDaemon({ dir: tmp().dir });
    // Its own state file: on the first one's, the state file's lock would refuse it before the socket is tried.
    const second = await runCli(
      ['start', '--jobs-dir', tmp().jobsDir, '--state-file', tmp().path('other_state.json'), '--socket', sock(), '--no-pretty'],
      { cwd: tmp().dir, timeoutMs: 15_000 },
    );
    expect(second.code, second.stdout + second.stderr).toBe(1);
    expect(second.stderr).toContain(sock());
    expect(second.stderr).toMatch(/already running|another jobd|in use/i);
    expect(first.hasExited()).toBe(false);
    const status = await socketRequest(sock(), 'GET', '/status');
    expect((status.json as { pid: number }).pid).toBe(first.pid);
  });

  it('a socket file left by kill -9 is replaced at the next start', async () => {
    const first = await startDaemon({ dir: tmp().dir });
    await first.kill9();
    expect((await stat(sock())).isSocket()).toBe(true);

    const second = await startDaemon({ dir: tmp().dir });
    const status = await socketRequest(sock(), 'GET', '/status');
    expect(status.status).toBe(200);
    expect((status.json as { pid: number }).pid).toBe(second.pid);
    expect((await stat(sock())).mode & 0o777).toBe(0o600);
    const client = await cli('status');
    expect(client.code, client.stderr).toBe(0);
  });
});
