// `node test/bench/cpu-per-run.js [burst|spread] [rounds]`: the CPU time (utime + stime from
// /proc) that the daemon's own process, and apart from it its spawner child, spend per run in the
// burst case (1,000 jobs due on one instant) or the spread case (600 one-shots at 100/s).
// CPU time is what a run costs whatever else the machine is doing, where lateness is not.
// JOBD_BIN=<other build>/bin/jobd.js measures another build (see lib/jobd.js).
import { readdirSync, readFileSync } from 'node:fs';
import { burstOfJobd, spreadOfJobd } from './lib/fire-case.js';
import { dropBuildSnapshot, useBuildSnapshot } from './lib/jobd.js';
import { cpuMs, killAll } from './lib/proc.js';
import { median, round } from './lib/stats.js';

const CASES = { burst: (probe) => burstOfJobd({ probe }), spread: (probe) => spreadOfJobd({ probe }) };

/** The daemon's spawner child, if this build has one. */
function spawnerOf(pid) {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('spawner-child')) return Number(name);
    } catch {
      // Ended while we looked.
    }
  }
  return null;
}

function cpuProbe(sys) {
  const spawner = spawnerOf(sys.pid);
  const daemonAt = cpuMs(sys.pid);
  const spawnerAt = spawner === null ? 0 : cpuMs(spawner);
  return () => ({ daemonCpuMs: cpuMs(sys.pid) - daemonAt, spawnerCpuMs: spawner === null ? null : cpuMs(spawner) - spawnerAt });
}

async function main() {
  const name = process.argv[2] ?? 'burst';
  const rounds = Number(process.argv[3] ?? 3);
  if (!(name in CASES)) throw new Error(`expected one of ${Object.keys(CASES).join(', ')}`);
  useBuildSnapshot();
  const perRun = { daemon: [], spawner: [] };
  for (let round_ = 0; round_ < rounds; round_ += 1) {
    const result = await CASES[name](cpuProbe);
    const runs = result.expected - result.missed;
    perRun.daemon.push(result.daemonCpuMs / runs);
    if (result.spawnerCpuMs !== null) perRun.spawner.push(result.spawnerCpuMs / runs);
    console.log(JSON.stringify({ case: name, runs, missed: result.missed, daemonCpuMs: result.daemonCpuMs, spawnerCpuMs: result.spawnerCpuMs }));
  }
  const ms = (list) => (list.length === 0 ? 'none' : `${round(median(list), 3)} ms`);
  console.log(`${name}, median of ${rounds}: daemon ${ms(perRun.daemon)} CPU per run, spawner ${ms(perRun.spawner)} CPU per run`);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => {
    killAll();
    dropBuildSnapshot();
  });
