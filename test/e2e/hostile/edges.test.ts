import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { socketRequest } from '../../helpers/control-socket.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, HEARTBEAT, processesTagged, startHostileDaemon } from '../../helpers/hostile.js';
import { writeJob } from '../../helpers/jobs.js';
import { sleep, waitFor } from '../../helpers/process.js';

/** TCP ports a process listens on (Linux: its socket inodes matched against /proc/net/tcp{,6}). */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // The descriptor closed while we looked.
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/);
      if (cols[3] === '0A' && inodes.has(cols[9]!)) ports.push(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

const isWarn = (e: Record<string, unknown>): boolean => e.level === 'warn';

describe('hostile: signals', () => {
  const tmp = useTempDir();

  it('issue 11.8: SIGUSR1 opens no inspector (nothing of jobd listens on 9229) and SIGUSR2 does not kill it; both are logged and ignored', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir });
    const { daemon } = target;
    process.kill(daemon.pid, 'SIGUSR1');
    const usr1 = await daemon.waitForEvent((e) => e.event === 'daemon.signal' && e.signal === 'SIGUSR1');
    expect(usr1).toMatchObject({ level: 'warn', action: 'ignored', count: 1 });
    await sleep(300);
    expect(listeningPorts(daemon.pid)).toEqual([]);
    const flood = Date.now();
    for (let i = 0; i < 10; i += 1) {
      process.kill(daemon.pid, 'SIGUSR2');
      await sleep(20);
    }
    await daemon.waitForEvent((e) => e.event === 'daemon.signal' && e.signal === 'SIGUSR2' && isWarn(e));
    await expectStillHealthy(target);
    // A flood is one event a second with a count (signals arriving together may merge in the kernel).
    const usr2 = daemon.events.filter((e) => e.event === 'daemon.signal' && e.signal === 'SIGUSR2');
    const counted = usr2.reduce((sum, e) => sum + (e.count as number), 0);
    expect(counted).toBeGreaterThan(1);
    expect(counted).toBeLessThanOrEqual(10);
    expect(usr2.length).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - flood) / 1_000));
    expect(usr2.length).toBeLessThan(counted);
    expect(listeningPorts(daemon.pid)).toEqual([]);
    await expectCleanStop(target);
  });

  it('issue 11.8: SIGALRM, SIGVTALRM, SIGXCPU and SIGXFSZ are ignored with a daemon.signal each; SIGQUIT is a clean stop, not a core dump', async () => {
    await writeJob(tmp().jobsDir, 'sleeper', { schedule: '@every 1s', command: 'sleep 30', overlap: 'skip' });
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '200ms' });
    const { daemon } = target;
    await daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'sleeper');
    const strays = ['SIGALRM', 'SIGVTALRM', 'SIGXCPU', 'SIGXFSZ'] as const;
    for (const signal of strays) process.kill(daemon.pid, signal);
    for (const signal of strays) await daemon.waitForEvent((e) => e.event === 'daemon.signal' && e.signal === signal);
    await expectStillHealthy(target);
    const exit = await daemon.stop('SIGQUIT');
    expect(exit, daemon.stderr()).toEqual({ code: 0, signal: null });
    expect(daemon.eventsOf('daemon.stop')[0]).toMatchObject({ signal: 'SIGQUIT', interrupted: 1 });
    await waitFor(() => processesTagged(target.tag).length === 0, { what: 'no command left after SIGQUIT' });
  });
});

describe('hostile: the firing loop tells when it is late', () => {
  const tmp = useTempDir();

  it('issue 11.16: a per-second job after a 3 s stall (SIGSTOP, SIGCONT) logs run.late with the lateness and run.missed with the count; metrics count it', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir, args: ['--metrics', '0'] });
    const { daemon } = target;
    await daemon.waitForEvents((e) => e.event === 'run.end' && e.job === HEARTBEAT, 2);
    const mark = daemon.mark();
    process.kill(daemon.pid, 'SIGSTOP');
    await sleep(3_000);
    process.kill(daemon.pid, 'SIGCONT');
    const late = await daemon.waitForEvent((e) => e.event === 'run.late' && e.job === HEARTBEAT, { after: mark });
    expect(late).toMatchObject({ level: 'warn', trigger: 'schedule', reason: 'stall' });
    expect(late.lateMs as number).toBeGreaterThan(1_000);
    expect(late.run).toEqual(expect.stringMatching(/^heartbeat-\d+$/));
    expect(Date.parse(String(late.time)) - Date.parse(String(late.scheduledAt))).toBeGreaterThanOrEqual(late.lateMs as number);
    const missed = await daemon.waitForEvent((e) => e.event === 'run.missed' && e.job === HEARTBEAT, { after: mark });
    expect(missed.level).toBe('warn');
    expect(missed.count as number).toBeGreaterThanOrEqual(1);
    expect(Date.parse(String(missed.first))).toBeGreaterThan(Date.parse(String(late.scheduledAt)));
    expect(Date.parse(String(missed.last)) - Date.parse(String(missed.first))).toBe(((missed.count as number) - 1) * 1_000);
    const address = String(daemon.eventsOf('daemon.start')[0]!.metrics);
    const metrics = await (await fetch(`http://${address}/metrics`)).text();
    expect(metrics).toMatch(/^jobd_runs_late_total\{job="heartbeat"\} [1-9]/m);
    const missedTotal = /^jobd_fires_missed_total\{job="heartbeat"\} (\d+)$/m.exec(metrics);
    expect(Number(missedTotal?.[1])).toBeGreaterThanOrEqual(missed.count as number);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.16: a fire held back by --max-concurrency logs run.late with reason concurrency', async () => {
    await writeJob(tmp().jobsDir, 'hog', { schedule: '@every 1s', command: 'sleep 2.5', overlap: 'skip' });
    await writeJob(tmp().jobsDir, 'waiter', { schedule: '@every 1s', command: 'true', overlap: 'skip' });
    const target = await startHostileDaemon({ dir: tmp().dir, args: ['--max-concurrency', '1'], shutdownGrace: '200ms' });
    const late = await target.daemon.waitForEvent((e) => e.event === 'run.late' && e.reason === 'concurrency', { timeoutMs: 15_000 });
    expect(late.lateMs as number).toBeGreaterThan(1_000);
    // run.late is told as the fire is launched, run.start once its command has a pid.
    const start = await target.daemon.waitForEvent((e) => e.event === 'run.start' && e.run === late.run, { timeoutMs: 5_000 });
    expect(start.job, 'run.late names a run that started').toBe(late.job);
    await expectCleanStop(target);
  });
});

describe('hostile: log levels', () => {
  const tmp = useTempDir();

  it("issue 11.26: with --log-level warn a failed, a timed-out and an interrupted run's run.end show up at warn; an ok run's does not", async () => {
    await writeJob(tmp().jobsDir, 'failing', { schedule: '@every 1s', command: 'exit 3' });
    await writeJob(tmp().jobsDir, 'slowpoke', { schedule: '@every 1s', command: 'sleep 5', timeout: '300ms', killGrace: '200ms', overlap: 'skip' });
    await writeJob(tmp().jobsDir, 'sleeper', { schedule: '@every 1s', command: 'sleep 30', overlap: 'skip' });
    const target = await startHostileDaemon({ dir: tmp().dir, args: ['--log-level', 'warn'], shutdownGrace: '200ms', waitForStart: false });
    const { daemon } = target;
    const failed = await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'failing', { timeoutMs: 15_000 });
    expect(failed).toMatchObject({ level: 'warn', status: 'failed', exitCode: 3 });
    const timedOut = await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'slowpoke', { timeoutMs: 15_000 });
    expect(timedOut).toMatchObject({ level: 'warn', status: 'timeout' });
    // The heartbeat has ended ok several times by now, unseen at this level.
    await waitFor(async () => {
      const reply = await socketRequest(target.socket, 'GET', `/jobs/${HEARTBEAT}`);
      return JSON.stringify(reply.json).includes('"status":"ok"');
    }, { what: 'an ok heartbeat run in /jobs/heartbeat' });
    expect(daemon.events.filter((e) => e.event === 'run.end' && e.status === 'ok')).toEqual([]);
    expect(daemon.events.every((e) => e.level === 'warn' || e.level === 'error')).toBe(true);
    await expectCleanStop(target);
    expect(daemon.events.find((e) => e.event === 'run.end' && e.job === 'sleeper')).toMatchObject({ level: 'warn', status: 'interrupted' });
  });
});
