// `node test/bench/idle-trace.js [jobs] [seconds]`: starts jobd on that many yearly jobs
// (default 10,000) and prints its RSS and the CPU it has used since the first state save,
// every 10 s for that long (default 180). Shows when V8's one-off memory-reducing GC comes
// after start-up, what it costs and what it gives back, which a 60 s window may miss.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startJobd } from './lib/jobd.js';
import { cpuMs, killAll, rssMb, sleep } from './lib/proc.js';
import { makeDir, removeDir } from './lib/systems.js';
import { writeYearlyJobs } from './scenarios/scale.js';

async function main() {
  const jobs = Number(process.argv[2] ?? 10_000);
  const seconds = Number(process.argv[3] ?? 180);
  const root = makeDir('idle-trace');
  try {
    writeYearlyJobs(join(root, 'jobs.d'), jobs);
    const dir = join(root, 'daemon');
    mkdirSync(dir);
    const daemon = await startJobd({ dir, jobsDir: join(root, 'jobs.d'), extraArgs: ['--log-level', 'debug'], startTimeoutMs: 60_000 });
    try {
      await daemon.waitFor((e) => e.event === 'state.saved', 20_000, { past: true });
      const cpu0 = cpuMs(daemon.pid);
      for (let at = 0; at <= seconds; at += 10) {
        console.log(`${String(at).padStart(4)} s  RSS ${rssMb(daemon.pid).toFixed(0)} MB  CPU since first save ${Math.round(cpuMs(daemon.pid) - cpu0)} ms`);
        if (at < seconds) await sleep(10_000);
      }
    } finally {
      await daemon.stop();
    }
  } finally {
    removeDir(root);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
}).finally(killAll);
