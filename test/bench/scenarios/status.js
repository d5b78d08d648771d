// 8. `jobd status --json` with 10,000 jobs: how long the CLI takes to print it, how long the
// socket answer takes, and how late a 1 s heartbeat job starts while the calls go on.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jobdCliArgs, startJobd, wallMs } from '../lib/jobd.js';
import { sleep, track } from '../lib/proc.js';
import { readStamps, stampCommand } from '../lib/stamps.js';
import { median, round } from '../lib/stats.js';
import { makeDir, removeDir } from '../lib/systems.js';
import { ms, row } from '../lib/table.js';
import { writeYearlyJobs } from './scale.js';

const COUNT = 10_000;
const CALLS = 5;

/** Wall time of one `jobd status --json` process, its output read to the end. */
function cliStatusMs(socket) {
  const t0 = wallMs();
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, jobdCliArgs(['status', '--json', '--socket', socket]), { stdio: ['ignore', 'pipe', 'inherit'] }));
    let bytes = 0;
    child.stdout.on('data', (chunk) => (bytes += chunk.length));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve({ ms: wallMs() - t0, bytes }) : reject(new Error(`jobd status exited ${code}`))));
  });
}

/** Wall time of one GET /status on the socket from this (warm) process, body read to the end. */
function socketStatusMs(socket) {
  const t0 = wallMs();
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path: '/status' }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(wallMs() - t0));
    });
    req.once('error', reject);
    req.end();
  });
}

/** Largest lateness of a heartbeat start due within [from, to]. */
function maxLateIn(stamps, from, to) {
  const late = stamps.filter((s) => s.scheduledMs >= from && s.scheduledMs <= to).map((s) => s.startMs - s.scheduledMs);
  return late.length ? Math.max(...late) : NaN;
}

async function measure({ quick }) {
  const dir = makeDir('status');
  const jobsDir = join(dir, 'jobs.d');
  const stampFile = join(dir, 'stamps.txt');
  let daemon = null;
  try {
    writeYearlyJobs(jobsDir, COUNT);
    writeFileSync(join(jobsDir, 'heartbeat.json'), JSON.stringify({ schedule: '@every 1s', command: stampCommand(stampFile) }));
    daemon = await startJobd({ dir, jobsDir, startTimeoutMs: 60_000 });
    await sleep(quick ? 2_000 : 4_000);
    const socket = join(dir, 'jobd.sock');
    const quietFrom = wallMs();
    await sleep(quick ? 3_000 : 5_000);
    const busyFrom = wallMs();
    const cli = [];
    const direct = [];
    for (let i = 0; i < CALLS; i += 1) {
      cli.push(await cliStatusMs(socket));
      direct.push(await socketStatusMs(socket));
    }
    const busyTo = wallMs();
    await sleep(1_500);
    const stamps = readStamps(stampFile);
    return {
      count: COUNT, calls: CALLS, bytes: cli[0].bytes,
      cliMs: round(median(cli.map((c) => c.ms))), cliMaxMs: round(Math.max(...cli.map((c) => c.ms))),
      socketMs: round(median(direct)), socketMaxMs: round(Math.max(...direct)),
      quietMaxLateMs: round(maxLateIn(stamps, quietFrom, busyFrom)), busyMaxLateMs: round(maxLateIn(stamps, busyFrom, busyTo)),
      busyWindowMs: round(busyTo - busyFrom, 0),
    };
  } finally {
    await daemon?.stop();
    removeDir(dir);
  }
}

export async function statusCall(options) {
  const r = await measure(options);
  const label = `${r.count.toLocaleString('en')} jobs`;
  const rows = [
    row(`${label}: \`jobd status --json\` (CLI process, median of ${r.calls})`, { jobd: ms(r.cliMs, 0), peers: `max ${ms(r.cliMaxMs, 0)}; ${(r.bytes / 1e6).toFixed(1)} MB`, target: '≤ 150 ms', pass: r.cliMs <= 150 }),
    row(`${label}: GET /status on the socket (median of ${r.calls})`, { jobd: ms(r.socketMs, 0), peers: `max ${ms(r.socketMaxMs, 0)}` }),
    row(`${label}: heartbeat (1 s) max lateness during ${r.calls * 2} status calls`, { jobd: ms(r.busyMaxLateMs), peers: `no calls: ${ms(r.quietMaxLateMs)}`, target: '≤ 20 ms more', pass: r.busyMaxLateMs - r.quietMaxLateMs <= 20 }),
  ];
  return { rows, summary: r };
}
