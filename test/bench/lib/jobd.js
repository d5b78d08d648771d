// Starts `bin/jobd.js start` for a scenario, collects its JSON log lines with their arrival
// times, and stops it (SIGTERM, then SIGKILL) whatever happens.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { track } from './proc.js';

const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
// JOBD_BIN runs another build (a worktree of an older commit) for before/after figures.
const BUILD = process.env.JOBD_BIN ? resolve(dirname(process.env.JOBD_BIN), '..') : REPO;
let jobdBin = join(BUILD, 'bin', 'jobd.js');
let snapshotDir = null;

/**
 * Copies the built daemon (bin/, dist/, assets/, package.json) aside and runs that copy, so a rebuild of
 * dist/ while the bench runs cannot change what is measured half-way. Builds nothing.
 */
export function useBuildSnapshot() {
  snapshotDir = mkdtempSync(join(tmpdir(), 'jobd-bench-build-'));
  for (const part of ['bin', 'dist', 'assets', 'package.json']) cpSync(join(BUILD, part), join(snapshotDir, part), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(snapshotDir, 'node_modules'));
  jobdBin = join(snapshotDir, 'bin', 'jobd.js');
}

export function dropBuildSnapshot() {
  if (snapshotDir) rmSync(snapshotDir, { recursive: true, force: true });
  snapshotDir = null;
}

/** The URL of a module of the (snapshotted) build, e.g. `jobdModule('cluster/claim.js')`, to import jobd's own code. */
export const jobdModule = (path) => pathToFileURL(join(dirname(dirname(jobdBin)), 'dist', path)).href;

/** Node arguments that run the (snapshotted) CLI with `args`, e.g. `['status', '--json']`. */
export const jobdCliArgs = (args) => [jobdBin, ...args];

/** Wall-clock milliseconds with sub-millisecond precision, comparable with `date +%s%N`. */
export const wallMs = () => performance.timeOrigin + performance.now();

/**
 * Spawns the daemon on `<dir>/jobs.d`; resolves once `daemon.start` is logged.
 * `extraArgs` go to `jobd start`, `nodeArgs` to node (e.g. --cpu-prof). Several daemons may share one
 * `jobsDir` (they only read it); state, socket and follow-up log stay in each one's `dir`.
 */
export async function startJobd({ dir, jobsDir = join(dir, 'jobs.d'), extraArgs = [], nodeArgs = [], startTimeoutMs = 30_000 }) {
  const args = [
    ...nodeArgs, jobdBin, 'start',
    '--jobs-dir', jobsDir,
    '--state-file', join(dir, 'jobs_state.json'),
    '--followup-log', join(dir, 'followups.log'),
    '--socket', join(dir, 'jobd.sock'),
    '--shutdown-grace', '1s',
    '--no-pretty',
    ...extraArgs,
  ];
  const spawnedAt = wallMs();
  // Its own group, so a failed bench can kill the daemon and anything it left behind at once.
  const child = track(spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
  const daemon = wrapDaemon(child, spawnedAt);
  try {
    await daemon.waitFor((e) => e.event === 'daemon.start', startTimeoutMs);
  } catch (error) {
    await daemon.stop();
    throw new Error(`jobd did not start: ${error.message}; stderr: ${daemon.stderr().slice(0, 500)}`);
  }
  return daemon;
}

function wrapDaemon(child, spawnedAt) {
  const events = [];
  const waiters = new Set();
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  createInterface({ input: child.stdout }).on('line', (line) => {
    let event;
    try {
      event = JSON.parse(line);
    } catch {
      return; // Not a log line (jobd logs only JSON with --no-pretty): nothing to measure.
    }
    event.recvMs = wallMs();
    events.push(event);
    for (const waiter of waiters) waiter(event);
  });

  /** Waits for the first event (from now on, or already seen when `past`) matching `match`. */
  const waitFor = (match, timeoutMs, { past = false } = {}) =>
    new Promise((resolveEvent, reject) => {
      const seen = past ? events.find(match) : undefined;
      if (seen) return resolveEvent(seen);
      const waiter = (event) => {
        if (!match(event)) return;
        cleanup();
        resolveEvent(event);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching event within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => (waiters.delete(waiter), clearTimeout(timer));
      waiters.add(waiter);
      void exited.then(() => {
        if (!waiters.has(waiter)) return;
        cleanup();
        reject(new Error('jobd exited'));
      });
    });

  /** SIGTERM, then SIGKILL to the whole group after `graceMs`; resolves once the daemon exited. */
  const stop = async (graceMs = 5_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    }, graceMs);
    const result = await exited;
    clearTimeout(timer);
    return result;
  };

  return { pid: child.pid, spawnedAt, events, waitFor, stop, exited, stderr: () => stderr };
}
