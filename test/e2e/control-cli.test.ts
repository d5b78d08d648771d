import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_FIXTURES, linesOf, runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { writeJob } from '../helpers/jobs.js';
import { waitFor, waitForExit } from '../helpers/process.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';
import { readPidFile } from '../helpers/temp-dir.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;
const PIDS_AND_WAIT = join(E2E_FIXTURES, 'pids-and-wait.sh');
const YEARLY = '@yearly';

describe('client commands (SPEC §1, §10)', () => {
  const tmp = useTempDir();
  const cli = (...args: string[]) => runCli([...args, '--socket', tmp().path('jobd.sock')], { cwd: tmp().dir });

  it('status prints a table with the job ids and states; status --json has pid, version, counts, jobs, running', async () => {
    await writeJob(tmp().jobsDir, 'nightly', { schedule: YEARLY, command: 'true' });
    await writeJob(tmp().jobsDir, 'dormant', { schedule: YEARLY, enabled: false, command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir });

    const table = await cli('status');
    expect(table.code, table.stderr).toBe(0);
    const rows = linesOf(table.stdout);
    expect(rows.find((line) => /^\s*nightly\b/.test(line))).toMatch(/\bscheduled\b/);
    expect(rows.find((line) => /^\s*dormant\b/.test(line))).toMatch(/\bdisabled\b/);

    const json = await cli('status', '--json');
    expect(json.code, json.stderr).toBe(0);
    const body = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(body.pid).toBe(daemon.pid);
    expect(typeof body.version).toBe('string');
    expect(body.counts).toMatchObject({ scheduled: 1, disabled: 1 });
    expect((body.jobs as Array<{ id: string }>).map((j) => j.id).sort()).toEqual(['dormant', 'nightly']);
    expect(Array.isArray(body.running)).toBe(true);
  });

  it('run prints the run id and the run happens with trigger manual', async () => {
    await writeJob(tmp().jobsDir, 'ondemand', { schedule: YEARLY, command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const result = await cli('run', 'ondemand');
    expect(result.code, result.stderr).toBe(0);
    const runId = /\b(ondemand-\d+)\b/.exec(result.stdout)?.[1];
    expect(runId, result.stdout).toBeDefined();
    const start = await daemon.waitForEvent((e) => e.event === 'run.start' && e.run === runId, { timeoutMs: 8_000 });
    expect(start.trigger).toBe('manual');
    const end = await daemon.waitForEvent((e) => e.event === 'run.end' && e.run === runId, { timeoutMs: 8_000 });
    expect(end.status).toBe('ok');
  });

  it('run --wait exits 0 for an ok run and with the exit code of a failing one', async () => {
    await writeJob(tmp().jobsDir, 'fine', { schedule: YEARLY, command: 'sleep 0.3; exit 0' });
    await writeJob(tmp().jobsDir, 'three', { schedule: YEARLY, command: 'exit 3' });
    await writeJob(tmp().jobsDir, 'off', { schedule: YEARLY, enabled: false, command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const fine = await cli('run', 'fine', '--wait');
    expect(fine.code, fine.stderr).toBe(0);
    expect(daemon.eventsOf('run.end', 'fine')).toHaveLength(1);
    const three = await cli('run', 'three', '--wait');
    expect(three.code, three.stdout + three.stderr).toBe(3);
    expect(daemon.eventsOf('run.end', 'three')[0]).toMatchObject({ status: 'failed', exitCode: 3, trigger: 'manual' });
    // A manual run ignores enabled: false.
    const off = await cli('run', 'off', '--wait');
    expect(off.code, off.stderr).toBe(0);
  });

  it('cancel ends a long run as cancelled and its whole process group is gone', async () => {
    const pidFile = join(tmp().pidsDir, 'long');
    await writeJob(tmp().jobsDir, 'long', { schedule: YEARLY, killGrace: '1s', command: ['/bin/sh', PIDS_AND_WAIT, pidFile] });
    const daemon = await startDaemon({ dir: tmp().dir });
    expect((await cli('run', 'long')).code).toBe(0);
    const start = await daemon.waitForEvent(is('run.start', 'long'), { timeoutMs: 8_000 });
    const pids = await waitFor(async () => {
      const found = await readPidFile(pidFile);
      return found.length === 4 ? found : null;
    }, { what: 'the pids of the run' });

    // While it runs: status lists it, and a second manual run of this overlap-skip job is refused.
    const status = JSON.parse((await cli('status', '--json')).stdout) as { running: Array<{ run: string }> };
    expect(status.running.map((r) => r.run)).toContain(start.run);
    const refused = await cli('run', 'long');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/running/);

    const result = await cli('cancel', 'long');
    expect(result.code, result.stderr).toBe(0);
    const end = await daemon.waitForEvent((e) => e.event === 'run.end' && e.run === start.run, { timeoutMs: 8_000 });
    expect(end.status).toBe('cancelled');
    await waitForExit(pids, 5_000);
    expect(daemon.hasExited()).toBe(false);
    // Nothing left to cancel.
    const again = await cli('cancel', 'long');
    expect(again.code).toBe(1);
    expect(linesOf(again.stderr)).toHaveLength(1);
  });

  it('with no daemon on the socket, a client exits 1 with one line on stderr', async () => {
    for (const args of [['status'], ['run', 'anything'], ['pause', 'anything']]) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(linesOf(result.stderr), result.stderr).toHaveLength(1);
      expect(result.stderr).toContain('jobd.sock');
    }
  });

  it('an unknown job id makes run, cancel, pause and resume exit 1 naming the id', async () => {
    await writeJob(tmp().jobsDir, 'known', { schedule: YEARLY, command: 'true' });
    await startDaemon({ dir: tmp().dir });
    for (const action of ['run', 'cancel', 'pause', 'resume']) {
      const result = await cli(action, 'ghost');
      expect(result.code, action).toBe(1);
      expect(linesOf(result.stderr)).toHaveLength(1);
      expect(result.stderr).toContain('ghost');
    }
  });
});
