import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_FIXTURES } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { inSeconds, writeJob } from '../helpers/jobs.js';
import { isRunning, waitFor, waitForExit } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';
import { readPidFile } from '../helpers/temp-dir.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;
const PIDS_AND_WAIT = join(E2E_FIXTURES, 'pids-and-wait.sh');

/** The follow-up log's JSON lines, or null while it is missing or empty. */
async function followUpLines(file: string): Promise<Array<Record<string, unknown>> | null> {
  if (!existsSync(file)) return null;
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  return lines.length > 0 ? lines.map((line) => JSON.parse(line) as Record<string, unknown>) : null;
}

describe('timeouts and follow-ups (SPEC §6)', () => {
  const tmp = useTempDir();

  it('a timeout stops the whole process group and appends one complete follow-up line', async () => {
    const followupLog = tmp().path('logs', 'deep', 'followups.log');
    const daemon = await startDaemon({ dir: tmp().dir, followupLog });
    const pidFile = join(tmp().pidsDir, 'tree');
    await writeJob(tmp().jobsDir, 'hang', {
      schedule: inSeconds(2),
      command: ['/bin/sh', PIDS_AND_WAIT, pidFile],
      timeout: '1s',
      killGrace: '2s',
    });
    const end = await daemon.waitForEvent(is('run.end', 'hang'), { timeoutMs: 12_000 });
    expect(end.status).toBe('timeout');
    const pids = await readPidFile(pidFile);
    expect(pids.length).toBe(4);
    await waitForExit(pids, 2_000);

    const timeout = daemon.eventsOf('run.timeout', 'hang')[0];
    expect(timeout).toMatchObject({ run: end.run, timeoutMs: 1000 });
    const lines = await waitFor(() => followUpLines(followupLog), { timeoutMs: 3_000 });
    expect(lines).toHaveLength(1);
    const [record] = lines;
    expect(record).toMatchObject({ job: 'hang', run: end.run, reason: 'timeout', timeoutMs: 1000 });
    expect(Number.isNaN(Date.parse(String(record!.time)))).toBe(false);
    expect(record!.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(record!.elapsedMs).toBeLessThan(10_000);
    expect(typeof record!.pid).toBe('number');
    expect(pids).toContain(record!.pid);
    expect(String(record!.command)).toContain('pids-and-wait.sh');
    expect(['SIGTERM', 'SIGKILL']).toContain(record!.signal);
  });

  it('a group that ignores SIGTERM is killed with SIGKILL after killGrace', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    const pidFile = join(tmp().pidsDir, 'stubborn');
    await writeJob(tmp().jobsDir, 'stubborn', {
      schedule: inSeconds(2),
      command: `/bin/sh '${PIDS_AND_WAIT}' '${pidFile}' trap-term`,
      timeout: '1s',
      killGrace: '1s',
    });
    const end = await daemon.waitForEvent(is('run.end', 'stubborn'), { timeoutMs: 12_000 });
    expect(end.status).toBe('timeout');
    const pids = await readPidFile(pidFile);
    expect(pids.length).toBe(4);
    await waitForExit(pids, 2_000);
    const [record] = await waitFor(() => followUpLines(daemon.followupLog));
    expect(record).toMatchObject({ job: 'stubborn', run: end.run, signal: 'SIGKILL' });
    expect(record!.elapsedMs).toBeGreaterThanOrEqual(1000);
  });

  it('failures and successes never create the follow-up log', async () => {
    await writeJob(tmp().jobsDir, 'fails', { schedule: '@every 1s', command: 'exit 1', timeout: '5s' });
    await writeJob(tmp().jobsDir, 'works', { schedule: '@every 1s', command: 'true', timeout: '5s' });
    const daemon = await startDaemon({ dir: tmp().dir });
    await daemon.waitForEvents(is('run.end', 'fails'), 2, { timeoutMs: 8_000 });
    await daemon.waitForEvent(is('run.end', 'works'), { timeoutMs: 5_000 });
    expect((await daemon.stop()).code).toBe(0);
    expect(existsSync(daemon.followupLog)).toBe(false);
  });

  it('onTimeout runs after a timeout with JOBD_REASON, JOBD_ELAPSED_MS and JOBD_FOLLOWUP_LOG', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    const report = tmp().path('ontimeout.txt');
    await writeJob(tmp().jobsDir, 'slowpoke', {
      schedule: inSeconds(2),
      command: 'sleep 30',
      timeout: '1s',
      onTimeout: `echo "$JOBD_REASON|$JOBD_ELAPSED_MS|$JOBD_FOLLOWUP_LOG|$JOBD_JOB_ID|$JOBD_RUN_ID|$JOBD_TRIGGER" > '${report}'`,
    });
    const end = await daemon.waitForEvent(is('run.end', 'slowpoke'), { timeoutMs: 12_000 });
    expect(end.status).toBe('timeout');
    const text = await waitFor(() => (existsSync(report) ? readFile(report, 'utf8') : ''), { timeoutMs: 5_000 });
    const [reason, elapsed, followupLog, job, run, trigger] = text.trim().split('|');
    expect(reason).toBe('timeout');
    expect(Number(elapsed)).toBeGreaterThanOrEqual(1000);
    expect(followupLog).toBe(daemon.followupLog);
    expect(job).toBe('slowpoke');
    expect(run).toBe(end.run);
    expect(trigger).toBe('schedule');
  });

  it('an unwritable follow-up log is logged as an error with its path, and the daemon keeps running', async () => {
    const blocker = tmp().path('not-a-dir');
    await writeFile(blocker, 'a file where a directory should be\n');
    const followupLog = join(blocker, 'followups.log');
    const daemon = await startDaemon({ dir: tmp().dir, followupLog });
    await writeJob(tmp().jobsDir, 'steady', { schedule: '@every 1s', command: 'true' });
    await writeJob(tmp().jobsDir, 'overrun', { schedule: inSeconds(2), command: 'sleep 30', timeout: '1s' });
    await daemon.waitForEvent(is('run.end', 'overrun'), { timeoutMs: 12_000 });
    const error = await daemon.waitForEvent(
      (e) => (e.level === 'error' || e.level === 50) && JSON.stringify(e).includes(followupLog),
      { timeoutMs: 5_000 },
    );
    expect(error.event).toBeDefined();
    const after = daemon.mark();
    await daemon.waitForEvent(is('run.end', 'steady'), { timeoutMs: 5_000, after });
    expect(isRunning(daemon.pid)).toBe(true);
    expect((await daemon.stop()).code).toBe(0);
  });
});
