// 5. Reload latency: time from a job file's rename into place to its `job.updated` event, over
// many edits; alone and with 10,000 other job files in the directory.
import { renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startJobd, wallMs } from '../lib/jobd.js';
import { sleep } from '../lib/proc.js';
import { summarize, round } from '../lib/stats.js';
import { makeDir, removeDir } from '../lib/systems.js';
import { ms, ratio, row } from '../lib/table.js';
import { writeYearlyJobs } from './scale.js';

const TARGETS = 10;
// A new edit starts at most this often; each file waits for its previous edit to be seen, so
// no two edits of one file can merge into one event.
const EDIT_GAP_MS = 60;

function writeTarget(jobsDir, index, edit) {
  const file = join(jobsDir, `r${index}.json`);
  // Written beside the target as *.tmp (a name jobd ignores), then renamed over it, as editors do.
  writeFileSync(`${file}.tmp`, JSON.stringify({ schedule: '@yearly', command: `true ${edit}` }));
  return file;
}

async function measureReload(extraJobs, edits) {
  const root = makeDir(`reload${extraJobs}`);
  const jobsDir = join(root, 'jobs.d');
  let daemon;
  try {
    mkdirSync(jobsDir, { recursive: true });
    writeYearlyJobs(jobsDir, extraJobs);
    for (let i = 0; i < TARGETS; i += 1) renameSync(`${writeTarget(jobsDir, i, -1)}.tmp`, join(jobsDir, `r${i}.json`));
    daemon = await startJobd({ dir: root, jobsDir, startTimeoutMs: 60_000 });
    await sleep(1000);
    const latencies = [];
    const pending = new Array(TARGETS).fill(Promise.resolve());
    let timeouts = 0;
    for (let edit = 0; edit < edits; edit += 1) {
      const index = edit % TARGETS;
      const gap = sleep(EDIT_GAP_MS);
      await pending[index];
      const file = writeTarget(jobsDir, index, edit);
      const seen = daemon.waitFor((e) => (e.event === 'job.updated' || e.event === 'job.loaded') && e.job === `r${index}`, 5000);
      const renamedAt = wallMs();
      renameSync(`${file}.tmp`, file);
      pending[index] = seen.then(
        (e) => latencies.push(e.recvMs - renamedAt),
        () => (timeouts += 1),
      );
      await gap;
    }
    await Promise.all(pending);
    return { files: extraJobs + TARGETS, edits, timeouts, ...summarize(latencies) };
  } finally {
    await daemon?.stop();
    removeDir(root);
  }
}

export async function reload({ quick }) {
  const edits = quick ? 40 : 200;
  const alone = await measureReload(0, edits);
  const crowded = await measureReload(10_000, edits);
  const fmt = (r) => `${ms(r.p50, 0)} / ${ms(r.p99, 0)}${r.timeouts ? ` (${r.timeouts} lost)` : ''}`;
  const rows = [
    row(`reload: rename → job.updated p50/p99, ${edits} edits, ${alone.files} files`, {
      jobd: fmt(alone), target: 'p99 ≤ 250 ms', pass: alone.p99 <= 250 && alone.timeouts === 0,
    }),
    row(`reload: same with ${crowded.files.toLocaleString('en')} files`, {
      jobd: fmt(crowded), peers: `alone: ${fmt(alone)}`, ratio: ratio(crowded.p99, alone.p99), target: 'p99 ≤ 250 ms', pass: crowded.p99 <= 250 && crowded.timeouts === 0,
    }),
  ];
  const keep = (r) => ({ files: r.files, edits: r.edits, timeouts: r.timeouts, p50: round(r.p50), p99: round(r.p99), max: round(r.max) });
  return { rows, summary: { alone: keep(alone), crowded: keep(crowded) } };
}
