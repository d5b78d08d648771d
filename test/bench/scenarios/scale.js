// 4. Scale and idle cost: 1,000 and 10,000 yearly jobs. Time from spawn to `daemon.start`, RSS,
// the first `state.saved` durationMs, and CPU burned while idle (from /proc/<pid>/stat).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startJobd, wallMs } from '../lib/jobd.js';
import { cpuMs, rssMb, sleep } from '../lib/proc.js';
import { median, round } from '../lib/stats.js';
import { makeDir, removeDir } from '../lib/systems.js';
import { ms, row } from '../lib/table.js';

/** A jobs directory of `count` files with yearly schedules (nothing fires while measured). */
export function writeYearlyJobs(jobsDir, count) {
  mkdirSync(jobsDir, { recursive: true });
  for (let i = 0; i < count; i += 1) {
    const id = `y${String(i).padStart(5, '0')}`;
    writeFileSync(join(jobsDir, `${id}.json`), JSON.stringify({ schedule: '@yearly', command: 'true', description: `scale job ${i}` }));
  }
}

/** Starts one daemon and takes its start-up figures; it is left running, idle. */
async function startOne(root, jobsDir, rep, settleMs) {
  const dir = join(root, `rep${rep}`);
  mkdirSync(dir);
  const daemon = await startJobd({ dir, jobsDir, extraArgs: ['--log-level', 'debug'], startTimeoutMs: 60_000 });
  const started = daemon.events.find((e) => e.event === 'daemon.start');
  const saved = await daemon.waitFor((e) => e.event === 'state.saved', 20_000, { past: true });
  // Let start-up work (the first save, watcher set-up, GC) finish before the idle window.
  await sleep(settleMs);
  return { daemon, loadMs: started.recvMs - daemon.spawnedAt, saveMs: saved.durationMs, rss: rssMb(daemon.pid), cpu0: cpuMs(daemon.pid), t0: wallMs() };
}

/** Every repetition runs its own daemon; their idle windows overlap so the scenario stays short. */
async function measureCount(count, { reps, idleMs, settleMs, firstMs = 0 }) {
  const root = makeDir(`scale${count}`);
  const jobsDir = join(root, 'jobs.d');
  const runs = [];
  try {
    writeYearlyJobs(jobsDir, count);
    for (let rep = 0; rep < reps; rep += 1) runs.push(await startOne(root, jobsDir, rep, settleMs));
    // A first window after start-up, told apart, so a one-off collection in it shows instead of hiding.
    if (firstMs > 0) {
      await sleep(firstMs);
      for (const r of runs) {
        const [cpu, t] = [cpuMs(r.daemon.pid), wallMs()];
        r.firstPct = ((cpu - r.cpu0) / (t - r.t0)) * 100;
        [r.cpu0, r.t0] = [cpu, t];
      }
    }
    await sleep(idleMs);
    for (const r of runs) r.idlePct = ((cpuMs(r.daemon.pid) - r.cpu0) / (wallMs() - r.t0)) * 100;
    const pick = (key) => median(runs.map((r) => r[key]));
    return {
      count, reps, idleWindowS: round(idleMs / 1000, 0), firstWindowS: round(firstMs / 1000, 0),
      firstCpuPct: firstMs > 0 ? round(pick('firstPct'), 3) : null, rssAfterMb: round(median(runs.map((r) => rssMb(r.daemon.pid)))),
      loadMs: round(pick('loadMs')), rssMb: round(pick('rss')), saveMs: round(pick('saveMs')), idleCpuPct: round(pick('idlePct'), 3),
      perRep: runs.map((r) => ({ loadMs: round(r.loadMs), rssMb: round(r.rss), saveMs: r.saveMs, idleCpuPct: round(r.idlePct, 3) })),
    };
  } finally {
    await Promise.all(runs.map((r) => r.daemon.stop()));
    removeDir(root);
  }
}

export async function scale({ quick }) {
  const options = { reps: quick ? 1 : 3, idleMs: quick ? 5_000 : 60_000, settleMs: 2_000 };
  const small = await measureCount(1_000, options);
  const big = await measureCount(10_000, { ...options, firstMs: quick ? 5_000 : 120_000 });
  const label = (r) => `${r.count.toLocaleString('en')} jobs`;
  const rows = [
    row(`${label(big)}: spawn → daemon.start (median of ${big.reps})`, { jobd: ms(big.loadMs, 0), peers: `1,000 jobs: ${ms(small.loadMs, 0)}`, target: '≤ 3000 ms', pass: big.loadMs <= 3000 }),
    row(`${label(big)}: RSS after start`, { jobd: `${big.rssMb.toFixed(1)} MB`, peers: `1,000 jobs: ${small.rssMb.toFixed(1)} MB`, target: '≤ 150 MB', pass: big.rssMb <= 150 }),
    row(`${label(big)}: idle CPU, first ${big.firstWindowS} s after start-up`, { jobd: `${big.firstCpuPct.toFixed(3)} %`, peers: `RSS at the end ${big.rssAfterMb.toFixed(1)} MB` }),
    row(`${label(big)}: idle CPU over the next ${big.idleWindowS} s`, { jobd: `${big.idleCpuPct.toFixed(3)} %`, target: '≤ 0.5 % of a core', pass: big.idleCpuPct <= 0.5 }),
    row(`${label(small)}: idle CPU over ${small.idleWindowS} s`, { jobd: `${small.idleCpuPct.toFixed(3)} %`, target: '≤ 0.5 % of a core', pass: small.idleCpuPct <= 0.5 }),
    row(`${label(big)}: first state write (state.saved durationMs)`, { jobd: ms(big.saveMs, 0), peers: `1,000 jobs: ${ms(small.saveMs, 0)}`, target: '≤ 100 ms', pass: big.saveMs <= 100 }),
  ];
  return { rows, summary: { small, big } };
}
