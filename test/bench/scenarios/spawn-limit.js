// 1. The physical limit: raw child_process.spawn('/bin/sh', ['-c', ...]) latency and throughput
// at concurrency 1/2/4/8, with nothing scheduling. Everything later is compared with this.
import { spawn } from 'node:child_process';
import { spawnCommand } from '../../../dist/run/spawn-command.js';
import { join } from 'node:path';
import { makeDir, removeDir } from '../lib/systems.js';
import { stampCommand } from '../lib/stamps.js';
import { median, percentile, round } from '../lib/stats.js';
import { ms, row } from '../lib/table.js';

const CONCURRENCIES = [1, 2, 4, 8];

const rawSpawn = (script, env) => spawn('/bin/sh', ['-c', script], { env: { ...process.env, ...env } });
// jobd's own spawn path (execa with jobd's options), for the floor of a daemon built on execa.
const execaSpawn = (script, env) => spawnCommand({ command: { shell: script }, args: [], cwd: process.cwd(), env });

/** Runs `total` spawns of `script`, at most `concurrency` at once; latency is spawn() call to exit. */
function spawnMany(script, total, concurrency, spawner = rawSpawn) {
  return new Promise((resolve) => {
    const latencies = [];
    let started = 0;
    let done = 0;
    const t0 = performance.now();
    const next = () => {
      if (started >= total) return;
      started += 1;
      const t = performance.now();
      const child = spawner(script, { JOBD_JOB_ID: 'raw', JOBD_SCHEDULED_AT: new Date().toISOString() });
      child.stdout.resume();
      child.stderr.resume();
      child.once('close', () => {
        latencies.push(performance.now() - t);
        done += 1;
        if (done === total) resolve({ latencies, perSecond: (total * 1000) / (performance.now() - t0) });
        else next();
      });
    };
    for (let i = 0; i < concurrency; i += 1) next();
  });
}

/** Median over `reps` repetitions of latency p50/p99 and throughput. */
async function measure(script, total, concurrency, reps, spawner = rawSpawn) {
  const runs = [];
  for (let r = 0; r < reps; r += 1) runs.push(await spawnMany(script, total, concurrency, spawner));
  return {
    concurrency,
    latencyP50: median(runs.map((x) => percentile(x.latencies, 50))),
    latencyP99: median(runs.map((x) => percentile(x.latencies, 99))),
    perSecond: median(runs.map((x) => x.perSecond)),
  };
}

export async function spawnLimit({ quick }) {
  const total = quick ? 60 : 120;
  const reps = 3;
  const dir = makeDir('spawn');
  try {
    await spawnMany('true', 50, 4); // warm-up: page cache, first-spawn costs
    const trueRuns = [];
    for (const c of CONCURRENCIES) trueRuns.push(await measure('true', total, c, reps));
    const stampRuns = [];
    for (const c of CONCURRENCIES) stampRuns.push(await measure(stampCommand(join(dir, 'stamps')), total, c, reps));
    const execaRuns = [];
    for (const c of CONCURRENCIES) execaRuns.push(await measure(stampCommand(join(dir, 'stamps')), total, c, reps, execaSpawn));
    const best = (runs) => runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    const rows = trueRuns.map((t, i) =>
      row(`raw spawn sh -c true, c=${t.concurrency}: latency p50/p99, runs/s (stamp cmd runs/s)`, {
        peers: `${ms(t.latencyP50, 2)} / ${ms(t.latencyP99, 2)}, ${t.perSecond.toFixed(0)}/s (${stampRuns[i].perSecond.toFixed(0)}/s)`,
      }),
    );
    const execaBest = best(execaRuns);
    rows.push(row('execa (jobd\'s spawn path), stamp cmd: best runs/s over c=1..8', {
      peers: `${execaBest.perSecond.toFixed(0)}/s at c=${execaBest.concurrency}`,
      ratio: `${(execaBest.perSecond / best(stampRuns).perSecond).toFixed(2)}× raw`,
    }));
    const summary = {
      execaRuns: execaRuns.map(roundAll),
      limitExeca: round(execaBest.perSecond, 0),
      trueRuns: trueRuns.map(roundAll),
      stampRuns: stampRuns.map(roundAll),
      limitTrue: round(best(trueRuns).perSecond, 0),
      limitStamp: round(best(stampRuns).perSecond, 0),
    };
    return { rows, summary };
  } finally {
    removeDir(dir);
  }
}

function roundAll(o) {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v)]));
}
