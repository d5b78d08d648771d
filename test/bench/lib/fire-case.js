// One measured case: start a system on a set of jobs, let the due instants pass, collect the
// stamps of the real process starts, stop the system, and compare stamps with what was due.
import { join } from 'node:path';
import { analyzeStamps, readStamps, stampCommand } from './stamps.js';
import { makeDir, removeDir, startSystem } from './systems.js';
import { wallMs } from './jobd.js';
import { sleep } from './proc.js';

/** Waits (bounded by `timeoutMs`) until every expected fire has a stamp. */
async function drain(stampFile, expected, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && analyzeStamps(readStamps(stampFile), expected).missed > 0) await sleep(200);
}

/**
 * Cron jobs (`periodMs` divides a minute): measures `bursts` consecutive due instants, the first
 * at least 300 ms after the system is ready. `makeJobs(command)` returns [{ id, cron, periodMs }].
 * `probe(sys)`, when given, is called once the system is ready and returns a function called after
 * the drain, whose figures join the result (e.g. CPU time spent meanwhile).
 */
export async function runCronCase({ system, makeJobs, periodMs, bursts, concurrency = null, drainMs, nodeArgs, probe }) {
  const dir = makeDir(system);
  const stampFile = join(dir, 'stamps');
  let sys;
  try {
    const jobs = makeJobs();
    sys = await startSystem({ system, dir, jobs, command: stampCommand(stampFile), concurrency, nodeArgs });
    const firstAt = Math.ceil((sys.readyAt + 300) / periodMs) * periodMs;
    const expected = [];
    for (let k = 0; k < bursts; k += 1) for (const job of jobs) expected.push({ job: job.id, scheduledMs: firstAt + k * periodMs });
    const probed = probe?.(sys);
    await sleep(firstAt + (bursts - 1) * periodMs - wallMs());
    await drain(stampFile, expected, drainMs);
    return { ...analyzeStamps(readStamps(stampFile), expected), ...probed?.() };
  } finally {
    await sys?.stop();
    removeDir(dir);
  }
}

/** One-shot jobs at given offsets (ms) after start + `leadMs`; `makeJobs(t0)` returns [{ id, at }]; `probe` as above. */
export async function runOnceCase({ system, makeJobs, leadMs, drainMs, concurrency = null, nodeArgs, probe }) {
  const dir = makeDir(system);
  const stampFile = join(dir, 'stamps');
  let sys;
  try {
    const jobs = makeJobs(Math.ceil(wallMs() + leadMs));
    sys = await startSystem({ system, dir, jobs, command: stampCommand(stampFile), concurrency, nodeArgs });
    const firstAt = Math.min(...jobs.map((j) => j.at));
    const lastAt = Math.max(...jobs.map((j) => j.at));
    const expected = jobs.map((j) => ({ job: j.id, scheduledMs: j.at }));
    const probed = probe?.(sys);
    await sleep(lastAt - wallMs());
    await drain(stampFile, expected, drainMs);
    // A system that became ready after the first instant could not have been on time.
    return { ...analyzeStamps(readStamps(stampFile), expected), readyLateMs: Math.max(0, sys.readyAt - firstAt), ...probed?.() };
  } finally {
    await sys?.stop();
    removeDir(dir);
  }
}

/** `n` job ids with a common prefix, zero-padded so file order is id order. */
export function jobIds(prefix, n) {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);
}

/** A six-field cron firing every `periodS` seconds (periodS divides 60). */
export function everySeconds(periodS) {
  return periodS === 1 ? '* * * * * *' : `*/${periodS} * * * * *`;
}

/** jobd on one burst of 1,000 jobs due on the same second; `options` adds nodeArgs or a probe. */
export function burstOfJobd(options = {}) {
  return runCronCase({ system: 'jobd', ...options, periodMs: 10_000, bursts: 1, drainMs: 20_000,
    makeJobs: () => jobIds('j', 1000).map((id) => ({ id, cron: everySeconds(10), periodMs: 10_000 })) });
}

/** jobd on 100 one-shot jobs a second for 6 s; `options` as above. */
export function spreadOfJobd(options = {}) {
  return runOnceCase({ system: 'jobd', ...options, leadMs: 3000, drainMs: 5000,
    makeJobs: (t0) => jobIds('s', 600).map((id, i) => ({ id, at: t0 + i * 10 })) });
}
