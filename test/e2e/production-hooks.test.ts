import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/e2e-setup.js';
import { inSeconds, writeJob } from '../helpers/jobs.js';
import { sleep, waitFor } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

/** A hook command appending `reason|status|exit code|job|run|trigger` to a file. */
const record = (file: string) =>
  `printf '%s|%s|%s|%s|%s|%s\\n' "$JOBD_REASON" "$JOBD_STATUS" "$JOBD_EXIT_CODE" "$JOBD_JOB_ID" "$JOBD_RUN_ID" "$JOBD_TRIGGER" >> '${file}'`;

const readLines = async (file: string) =>
  (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;

describe('production: onSuccess / onFailure hooks', () => {
  const tmp = useTempDir();

  it('onSuccess after an ok run, onFailure once after the last retry and after a timeout', async () => {
    const daemon = await startDaemon({ dir: tmp().dir });
    const files = { good: tmp().path('good.hook'), flaky: tmp().path('flaky.hook'), slow: tmp().path('slow.hook') };
    const at = inSeconds(2);
    await writeJob(tmp().jobsDir, 'good', { schedule: at, command: 'exit 0', onSuccess: record(files.good), onFailure: record(files.good) });
    await writeJob(tmp().jobsDir, 'flaky', {
      schedule: at,
      command: 'exit 3',
      retries: 1,
      retryDelay: '200ms',
      onFailure: record(files.flaky),
      onSuccess: record(files.flaky),
    });
    await writeJob(tmp().jobsDir, 'slow', {
      schedule: at,
      command: 'sleep 10',
      timeout: '300ms',
      killGrace: '1s',
      onFailure: record(files.slow),
    });

    const good = await daemon.waitForEvent(is('run.end', 'good'), { timeoutMs: 15_000 });
    expect(good.status).toBe('ok');
    const flaky = await daemon.waitForEvents(is('run.end', 'flaky'), 2, { timeoutMs: 15_000 });
    expect(flaky.map((e) => [e.status, e.trigger])).toEqual([['failed', 'schedule'], ['failed', 'retry']]);
    const slow = await daemon.waitForEvent(is('run.end', 'slow'), { timeoutMs: 15_000 });
    expect(slow.status).toBe('timeout');

    await waitFor(async () => (await readLines(files.good)).length > 0, { timeoutMs: 10_000, what: 'the onSuccess hook' });
    await waitFor(async () => (await readLines(files.flaky)).length > 0, { timeoutMs: 10_000, what: 'the onFailure hook' });
    await waitFor(async () => (await readLines(files.slow)).length > 0, { timeoutMs: 10_000, what: 'the onFailure hook after a timeout' });
    // Room for a wrongly doubled hook to show up.
    await sleep(1_500);

    expect(await readLines(files.good)).toEqual([`success|ok|0|good|${String(good.run)}|schedule`]);
    expect(await readLines(files.flaky)).toEqual([`failure|failed|3|flaky|${String(flaky[1]!.run)}|retry`]);
    const slowLines = await readLines(files.slow);
    expect(slowLines).toHaveLength(1);
    const [reason, status, exitCode, job, run] = slowLines[0]!.split('|');
    expect([reason, status, job, run]).toEqual(['failure', 'timeout', 'slow', String(slow.run)]);
    expect(exitCode === '' || /^\d+$/.test(exitCode!)).toBe(true);

    expect(daemon.eventsOf('followup.error')).toHaveLength(0);
    expect(daemon.hasExited()).toBe(false);
    expect((await daemon.stop()).code).toBe(0);
  }, 60_000);

  it('a hook exiting non-zero is a followup.error and the daemon keeps running', async () => {
    await writeJob(tmp().jobsDir, 'pinger', { schedule: '@every 1s', command: 'true', onSuccess: 'exit 7' });
    await writeJob(tmp().jobsDir, 'alarm', { schedule: '@every 1s', command: 'false', onFailure: 'exit 9' });
    const daemon = await startDaemon({ dir: tmp().dir });

    const okError = await daemon.waitForEvent(is('followup.error', 'pinger'), { timeoutMs: 15_000 });
    expect(String(okError.run)).toMatch(/^pinger-\d+$/);
    expect(String(okError.message)).toMatch(/onSuccess/);
    expect(String(okError.message)).toMatch(/\b7\b/);
    const failError = await daemon.waitForEvent(is('followup.error', 'alarm'), { timeoutMs: 15_000 });
    expect(String(failError.message)).toMatch(/onFailure/);
    expect(String(failError.message)).toMatch(/\b9\b/);
    expect(failError.level).toBe('error');

    // Runs go on after the failing hooks.
    const mark = daemon.mark();
    await daemon.waitForEvents(is('run.end', 'pinger'), 2, { timeoutMs: 15_000, after: mark });
    expect(daemon.hasExited()).toBe(false);
    expect((await daemon.stop()).code).toBe(0);
  }, 60_000);

  it('issue 13: a hook still running when jobd stops is left to finish, and is not reported lost', async () => {
    const marker = tmp().path('hook-done');
    await writeJob(tmp().jobsDir, 'fails', { schedule: inSeconds(1), command: 'exit 1', onFailure: `sleep 1.5; echo done > '${marker}'` });
    const daemon = await startDaemon({ dir: tmp().dir });
    await daemon.waitForEvent(is('run.end', 'fails'), { timeoutMs: 10_000 });
    const exit = await daemon.stop('SIGTERM');
    expect(exit.code).toBe(0);
    expect(daemon.events.filter((e) => e.event === 'followup.error')).toEqual([]);
    await waitFor(async () => (await readFile(marker, 'utf8').catch(() => '')) === 'done\n', { timeoutMs: 5_000, what: 'the hook finished after jobd stopped' });
  });
});
