// 9. The status page with 10,000 jobs: first paint and first contentful paint of `/` in headless
// Chromium (a fresh context, so no cache, each time), and how long the daemon takes to answer it.
import { request } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions, PAINT_TIMINGS } from '../../helpers/chromium.js';
import { startJobd, wallMs } from '../lib/jobd.js';
import { sleep } from '../lib/proc.js';
import { median, round } from '../lib/stats.js';
import { makeDir, removeDir } from '../lib/systems.js';
import { ms, row } from '../lib/table.js';
import { writeYearlyJobs } from './scale.js';

const COUNT = 10_000;
const LOADS = 5;
const TARGET_MS = 1000;

/** Wall time of one GET of the page's HTML from this process, body read to the end. */
function htmlMs(url) {
  const t0 = wallMs();
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => (bytes += chunk.length));
      res.on('end', () => resolve({ ms: wallMs() - t0, bytes }));
    });
    req.once('error', reject);
    req.end();
  });
}

/** One load of the page in a fresh context: its paint timings, from navigation start. */
async function loadOnce(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    const timings = await page.evaluate(PAINT_TIMINGS);
    const rows = await page.locator('#rows tr').count();
    if (rows !== 100) throw new Error(`the page showed ${rows} rows, expected one page of 100`);
    return timings;
  } finally {
    await context.close();
  }
}

async function measure({ quick }) {
  const dir = makeDir('page');
  const jobsDir = join(dir, 'jobs.d');
  let daemon = null;
  let browser = null;
  try {
    writeYearlyJobs(jobsDir, COUNT);
    daemon = await startJobd({ dir, jobsDir, extraArgs: ['--http', '0'], startTimeoutMs: 60_000 });
    const address = daemon.events.find((e) => e.event === 'daemon.start')?.http;
    if (typeof address !== 'string') throw new Error('daemon.start has no http address');
    const url = `http://${address}/`;
    // Start-up work (the first state save, watcher set-up) settles first, as for a page opened later.
    await sleep(quick ? 2_000 : 4_000);
    browser = await chromium.launch(chromiumLaunchOptions());
    const loads = [];
    for (let i = 0; i < LOADS; i += 1) loads.push(await loadOnce(browser, url));
    const html = [];
    for (let i = 0; i < LOADS; i += 1) html.push(await htmlMs(url));
    // A timing the page never reported (-1) counts as missing, not as fast.
    const seen = (value) => (value >= 0 ? value : NaN);
    const fcp = loads.map((l) => seen(l.firstContentfulPaint));
    return {
      count: COUNT, loads: LOADS, bytes: html[0].bytes,
      firstPaintMs: round(median(loads.map((l) => seen(l.firstPaint))), 0), fcpMs: round(median(fcp), 0),
      fcpColdMs: round(fcp[0], 0), fcpMaxMs: round(Math.max(...fcp), 0), htmlMs: round(median(html.map((h) => h.ms))),
    };
  } finally {
    await browser?.close();
    await daemon?.stop();
    removeDir(dir);
  }
}

export async function statusPage(options) {
  const r = await measure(options);
  const label = `${r.count.toLocaleString('en')} jobs`;
  const rows = [
    row(`${label}: status page first contentful paint, headless Chromium (median of ${r.loads})`, {
      jobd: ms(r.fcpMs, 0), peers: `first paint ${ms(r.firstPaintMs, 0)}; first load ${ms(r.fcpColdMs, 0)}, max ${ms(r.fcpMaxMs, 0)}`,
      target: `≤ ${TARGET_MS} ms`, pass: r.fcpMs !== null && r.fcpMs <= TARGET_MS,
    }),
    row(`${label}: GET / of the status page (median of ${r.loads})`, { jobd: ms(r.htmlMs), peers: `${(r.bytes / 1e3).toFixed(0)} kB of HTML` }),
  ];
  return { rows, summary: r };
}
