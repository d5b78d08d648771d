// `node test/bench/profile.js <burst|spread|scale>`: runs one bench case with jobd under
// `node --cpu-prof` and prints where its CPU time went (see profile-summary.js).
import { mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { burstOfJobd, spreadOfJobd } from './lib/fire-case.js';
import { startJobd } from './lib/jobd.js';
import { killAll, sleep } from './lib/proc.js';
import { makeDir, removeDir } from './lib/systems.js';
import { summarizeProfile } from './profile-summary.js';
import { writeYearlyJobs } from './scenarios/scale.js';

const CASES = {
  burst: (nodeArgs) => burstOfJobd({ nodeArgs }),
  spread: (nodeArgs) => spreadOfJobd({ nodeArgs }),
  // 10,000 yearly jobs: start-up, first save, then 50 rename edits.
  scale: async (nodeArgs) => {
    const root = makeDir('profile-scale');
    writeYearlyJobs(join(root, 'jobs.d'), 10_000);
    const daemon = await startJobd({ dir: root, jobsDir: join(root, 'jobs.d'), nodeArgs, extraArgs: ['--log-level', 'debug'], startTimeoutMs: 60_000 }).catch((e) => {
      removeDir(root);
      throw e;
    });
    try {
      await daemon.waitFor((e) => e.event === 'state.saved', 20_000, { past: true });
      for (let edit = 0; edit < 50; edit += 1) {
        const file = join(root, 'jobs.d', `y0000${edit % 10}.json`);
        writeFileSync(`${file}.tmp`, JSON.stringify({ schedule: '@yearly', command: `true ${edit}` }));
        const seen = daemon.waitFor((e) => e.event === 'job.updated' && e.job === `y0000${edit % 10}`, 5000);
        renameSync(`${file}.tmp`, file);
        await seen.catch(() => undefined);
      }
      return { loadMs: Math.round(daemon.events.find((e) => e.event === 'daemon.start').recvMs - daemon.spawnedAt) };
    } finally {
      await daemon.stop();
      removeDir(root);
    }
  },
};

async function main() {
  const name = process.argv[2];
  if (!(name in CASES)) throw new Error(`expected one of ${Object.keys(CASES).join(', ')}`);
  const profileDir = mkdtempSync(join(tmpdir(), 'jobd-profile-'));
  const result = await CASES[name](['--cpu-prof', '--cpu-prof-dir', profileDir]);
  await sleep(500);
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  const summary = summarizeProfile(JSON.parse(readFileSync(join(profileDir, file), 'utf8')), 20);
  console.log(JSON.stringify({ ...result, lateness: undefined, laterByDue: undefined, lastByInstant: undefined }));
  console.log(`profile: ${join(profileDir, file)}\ntotal sampled: ${summary.totalMs.toFixed(0)} ms`);
  console.log(`\nself time by function:\n${summary.functions.join('\n')}\n\nself time by file:\n${summary.files.join('\n')}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
}).finally(killAll);
