import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { socketRequest } from './control-socket.js';
import { writeJob } from './jobs.js';
import { waitFor } from './process.js';
import { startDaemon, type DaemonProcess, type StartDaemonOptions } from './start-daemon.js';

/** The job every hostile test keeps running beside its attack, to see that firing goes on. */
export const HEARTBEAT = 'heartbeat';

/** A daemon under attack, with what it takes to check on it afterwards. */
export interface HostileDaemon {
  daemon: DaemonProcess;
  dir: string;
  socket: string;
  /** Carried in the environment of the daemon and so of every command it starts. */
  tag: string;
}

/**
 * Starts the real daemon with a heartbeat job due every second, and a tag in its
 * environment that every command it spawns inherits, so that leftovers can be found.
 */
export async function startHostileDaemon(options: StartDaemonOptions): Promise<HostileDaemon> {
  await writeJob(join(options.dir, 'jobs.d'), HEARTBEAT, { schedule: '@every 1s', command: 'true' });
  const tag = `jobd-hostile-${randomBytes(6).toString('hex')}`;
  const daemon = await startDaemon({ ...options, env: { ...options.env, JOBD_HOSTILE_TAG: tag } });
  return { daemon, dir: options.dir, socket: join(options.dir, 'jobd.sock'), tag };
}

/**
 * What a user sees of a daemon that shrugged an attack off: still alive, `/status`
 * answers promptly, and the heartbeat job goes on ending `ok`.
 */
export async function expectStillHealthy(target: HostileDaemon, { timeoutMs = 10_000 } = {}): Promise<void> {
  const { daemon } = target;
  expect(daemon.hasExited(), `daemon exited; stderr: ${daemon.stderr().slice(-2000)}`).toBe(false);
  const status = await socketRequest(target.socket, 'GET', '/status', { timeoutMs: 5_000 });
  expect(status.status).toBe(200);
  const mark = daemon.mark();
  await daemon.waitForEvents((e) => e.event === 'run.end' && e.job === HEARTBEAT && e.status === 'ok', 2, { after: mark, timeoutMs });
  expect(daemon.hasExited()).toBe(false);
}

/** The PID of the daemon's spawner child, as `/status` tells it. */
export async function spawnerPidOf(target: HostileDaemon): Promise<number> {
  const reply = await socketRequest(target.socket, 'GET', '/status', { timeoutMs: 5_000 });
  const pid = (reply.json as { spawnerPid?: unknown } | undefined)?.spawnerPid;
  expect(pid, 'the daemon names its spawner child').toEqual(expect.any(Number));
  return pid as number;
}

/** PIDs of live processes whose environment carries `tag` (Linux: /proc/<pid>/environ). */
export function processesTagged(tag: string): number[] {
  const needle = `JOBD_HOSTILE_TAG=${tag}`;
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`, 'latin1');
      if (!environ.split('\0').includes(needle)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && state !== 'X') found.push(Number(name));
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}

/** Stops the daemon with SIGTERM, expects exit 0, and that nothing it started is still running. */
export async function expectCleanStop(target: HostileDaemon, { timeoutMs = 10_000 } = {}): Promise<void> {
  const exit = await target.daemon.stop('SIGTERM', 20_000);
  expect(exit.code, `stderr: ${target.daemon.stderr().slice(-2000)}`).toBe(0);
  await waitFor(() => processesTagged(target.tag).length === 0, {
    timeoutMs,
    what: `no process left carrying ${target.tag} (left: ${processesTagged(target.tag).join(', ')})`,
  });
}
