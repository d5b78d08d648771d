// One interface over the systems compared: jobd (job files + daemon) and the peers of peer.js.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startJobd, wallMs } from './jobd.js';
import { track } from './proc.js';

const PEER = fileURLToPath(new URL('../peer.js', import.meta.url));

/** A fresh temporary directory; removed by `removeDir`. */
export function makeDir(label) {
  return mkdtempSync(join(tmpdir(), `jobd-bench-${label}-`));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes one jobd job file per job: `schedule` is the cron text or the one-shot instant. */
export function writeJobFiles(dir, jobs, command) {
  const jobsDir = join(dir, 'jobs.d');
  mkdirSync(jobsDir, { recursive: true });
  for (const job of jobs) {
    const schedule = job.at !== undefined ? new Date(job.at).toISOString() : job.cron;
    writeFileSync(join(jobsDir, `${job.id}.json`), JSON.stringify({ schedule, command, ...job.extra }));
  }
}

/**
 * Starts `system` ('jobd', 'timer', 'croner', 'node-cron') on `jobs`; resolves to
 * { readyAt (wall ms), pid, daemon (jobd only), stop() }. `nodeArgs` (jobd only) go to node, e.g. --cpu-prof.
 */
export async function startSystem({ system, dir, jobs, command, concurrency = null, nodeArgs = [] }) {
  if (system === 'jobd') {
    writeJobFiles(dir, jobs, command);
    const daemon = await startJobd({ dir, nodeArgs });
    return { readyAt: wallMs(), pid: daemon.pid, daemon, stop: () => daemon.stop() };
  }
  const specFile = join(dir, `${system}-spec.json`);
  writeFileSync(specFile, JSON.stringify({ lib: system, jobs, command, concurrency }));
  const child = track(spawn(process.execPath, [PEER, specFile], { stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
  // node-cron warns on stderr for every fire it drops; keep only the tail, for a crash report.
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-2000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    void exited.then(() => reject(new Error(`${system} peer exited before it was ready: ${stderr}`)));
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return { readyAt: wallMs(), pid: child.pid, stop };
}
