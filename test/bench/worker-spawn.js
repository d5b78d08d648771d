// `node test/bench/worker-spawn.js [spread|burst]`: would spawning from worker threads help?
// The same stamp command is started four ways from one process holding a heap about the size
// of jobd's: child_process.spawn and jobd's own spawnCommand (execa with jobd's options) on the
// main thread, and spawnCommand in one worker thread or round-robin in two. Needs `npm run build`. `spread`: 100 starts/s for 6 s from timers,
// lateness p50/p99/max of each start against its instant. `burst`: 1,000 starts, at most 32
// at a time, time from the first to the last start.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { spawnCommand } from '../../dist/run/spawn-command.js';

const COMMAND = 'echo "$AT $(date +%s%N)" >> "$STAMP"';
const WAYS = ['raw', 'execa', 'worker', 'workers2'];
// jobd with a few hundred jobs holds a heap of this order, and fork time grows with the heap.
// Module-level, so it stays alive for the whole measurement.
export const ballast = isMainThread ? Array.from({ length: 300_000 }, (_, i) => ({ a: i, b: `x${i}`, c: [i] })) : null;

/** Starts one stamp command; resolves when it has ended. */
function start(way, stamp, at) {
  const env = { STAMP: stamp, AT: String(at) };
  if (way === 'raw') {
    const child = spawn('/bin/sh', ['-c', COMMAND], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.resume();
    child.stderr.resume();
    return new Promise((resolve) => child.once('close', resolve));
  }
  const child = spawnCommand({ command: { shell: COMMAND }, args: [], cwd: process.cwd(), env });
  child.stdout.on('data', () => {});
  child.stderr.on('data', () => {});
  return child;
}

/** `count` starts, at most `limit` at a time. */
async function burst(way, stamp, count, limit) {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next += 1;
      await start(way, stamp, 0);
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

if (!isMainThread) {
  parentPort.on('message', async (m) => {
    if (m.burst) {
      await burst('execa', m.stamp, m.count, m.limit);
      parentPort.postMessage('done');
    } else start('execa', m.stamp, m.at);
  });
} else {
  await main(process.argv[2] ?? 'spread');
}

async function main(mode) {
  const workers = [new Worker(new URL(import.meta.url)), new Worker(new URL(import.meta.url))];
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const way of WAYS) {
    const stamp = join(tmpdir(), `jobd-worker-spawn-${process.pid}-${way}`);
    rmSync(stamp, { force: true });
    if (mode === 'burst') console.log(way.padEnd(9), await measureBurst(way, stamp, workers));
    else console.log(way.padEnd(9), await measureSpread(way, stamp, workers));
    rmSync(stamp, { force: true });
  }
  await Promise.all(workers.map((w) => w.terminate()));
}

async function measureSpread(way, stamp, workers) {
  const t0 = Math.ceil(Date.now() / 1000) * 1000 + 1000;
  let turn = 0;
  for (let i = 0; i < 600; i += 1) {
    const at = t0 + i * 10;
    setTimeout(() => {
      if (way === 'raw' || way === 'execa') void start(way, stamp, at);
      else workers[way === 'worker' ? 0 : turn++ % 2].postMessage({ stamp, at });
    }, at - Date.now());
  }
  await new Promise((resolve) => setTimeout(resolve, t0 + 8000 - Date.now()));
  const late = stamps(stamp).map(([at, ms]) => ms - at).sort((a, b) => a - b);
  const q = (p) => late[Math.min(late.length - 1, Math.floor(p * late.length))].toFixed(1);
  return `n ${late.length}  lateness p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  max ${late.at(-1).toFixed(1)} ms`;
}

async function measureBurst(way, stamp, workers) {
  const t0 = performance.timeOrigin + performance.now();
  if (way === 'raw' || way === 'execa') await burst(way, stamp, 1000, 32);
  else {
    const used = way === 'worker' ? workers.slice(0, 1) : workers;
    const share = (w) => new Promise((resolve) => {
      w.once('message', resolve);
      w.postMessage({ burst: true, stamp, count: 1000 / used.length, limit: 32 / used.length });
    });
    await Promise.all(used.map(share));
  }
  const last = Math.max(...stamps(stamp).map(([, ms]) => ms));
  return `1,000 starts: last ${Math.round(last - t0)} ms after the first was asked for`;
}

/** [instant, start] pairs in ms from the stamp file. */
function stamps(file) {
  return readFileSync(file, 'utf8').trim().split('\n').map((line) => {
    const [at, ns] = line.split(' ');
    return [Number(at), Number(BigInt(ns) / 1000n) / 1000];
  });
}
