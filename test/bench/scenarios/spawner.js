// 10. A spawner process, measured (jobd does not use one): the execa floor in a small process, the
// same timers in a process holding ~150 MB of live heap (a daemon with 10,000 jobs) spawning
// directly, and that big process handing each fire over IPC to a small child that spawns through
// jobd's spawnCommand. Bursts of 10 and 100 and 100 one-shot fires/s, systems taking turns.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { everySeconds, jobIds, runCronCase, runOnceCase } from '../lib/fire-case.js';
import { makeDir, removeDir } from '../lib/systems.js';
import { median, percentile, round } from '../lib/stats.js';
import { ms, ratio, row } from '../lib/table.js';

const SYSTEMS = ['execa', 'execa-big', 'execa-spawner'];
const CONCURRENCY = 32;
const LABEL = { execa: 'execa floor', 'execa-big': 'execa in 150 MB', 'execa-spawner': '150 MB + spawner child' };

function cases(quick) {
  return [
    { name: 'burst10', n: 10, periodS: 2, bursts: quick ? 2 : 4 },
    { name: 'burst100', n: 100, periodS: 3, bursts: quick ? 2 : 4 },
  ];
}

/** Runs one case with the peer's own figures (RSS, IPC) written to a file the case does not remove. */
async function withStats(statsDir, system, run) {
  const statsFile = join(statsDir, `${system}-${Date.now()}.json`);
  const r = await run(statsFile);
  let stats = null;
  try {
    stats = JSON.parse(readFileSync(statsFile, 'utf8'));
    rmSync(statsFile);
  } catch {
    // A peer that died before SIGTERM wrote nothing; its fires show as missed in the stamps.
  }
  return { r, stats };
}

function keep({ r, stats }) {
  const lastStarts = [...r.lastByInstant.values()];
  const ipc = stats && stats.sends > 0
    ? { sends: stats.sends, sendUs: round((stats.sendMs / stats.sends) * 1000), hopP50: round(percentile(stats.hopMs, 50)), hopP99: round(percentile(stats.hopMs, 99)), replyP50: round(percentile(stats.replyMs, 50)) }
    : null;
  return {
    expected: r.expected, missed: r.missed, duplicates: r.duplicates, p50: round(r.p50), p99: round(r.p99), max: round(r.max),
    lastStartMedian: round(median(lastStarts)), lastStarts: lastStarts.map((v) => round(v)), rssMB: stats ? round(stats.rssMB, 0) : null, ipc,
  };
}

export async function spawnerScenario({ quick }) {
  const statsDir = makeDir('spawner-stats');
  const out = {};
  try {
    for (const c of cases(quick)) {
      out[c.name] = {};
      const makeJobs = () => jobIds('j', c.n).map((id) => ({ id, cron: everySeconds(c.periodS), periodMs: c.periodS * 1000 }));
      for (const system of SYSTEMS) {
        out[c.name][system] = keep(await withStats(statsDir, system, (statsFile) =>
          runCronCase({ system, makeJobs, periodMs: c.periodS * 1000, bursts: c.bursts, concurrency: CONCURRENCY, drainMs: 3000, statsFile })));
      }
    }
    const spread = { rate: 100, seconds: quick ? 3 : 6 };
    out.spread = { ...spread };
    const makeJobs = (t0) => jobIds('s', spread.rate * spread.seconds).map((id, i) => ({ id, at: Math.round(t0 + (i * 1000) / spread.rate) }));
    for (const system of SYSTEMS) {
      // The big process needs a few seconds to build its heap before it is ready.
      out.spread[system] = keep(await withStats(statsDir, system, (statsFile) => runOnceCase({ system, makeJobs, leadMs: 6000, drainMs: 5000, statsFile })));
    }
  } finally {
    removeDir(statsDir);
  }
  return { rows: spawnerRows(out, quick), summary: out };
}

const triple = (r) => `${r.p50.toFixed(1)}/${r.p99.toFixed(1)}/${r.max.toFixed(1)} ms`;

function spawnerRows(out, quick) {
  const rows = [];
  for (const c of cases(quick)) {
    const r = out[c.name];
    const limit = 1.1 * r.execa.lastStartMedian + 5;
    for (const system of SYSTEMS.slice(1)) {
      rows.push(row(`spawner: burst N=${c.n} (${c.bursts}×), ${LABEL[system]}: last start, median`, {
        jobd: ms(r[system].lastStartMedian),
        peers: `execa floor c=${CONCURRENCY} ${ms(r.execa.lastStartMedian)}; ${r[system].rssMB ?? 'n/a'} MB RSS`,
        ratio: `${ratio(r[system].lastStartMedian, r.execa.lastStartMedian)} execa`,
        target: `≤ 1.10×execa + 5 ms (${ms(limit)})`,
        pass: r[system].lastStartMedian <= limit,
      }));
    }
  }
  const s = out.spread;
  for (const system of SYSTEMS.slice(1)) {
    rows.push(row(`spawner: spread ${s.rate}/s for ${s.seconds} s, ${LABEL[system]}: lateness p50/p99/max`, {
      jobd: triple(s[system]),
      peers: `execa floor ${triple(s.execa)}; ${s[system].rssMB ?? 'n/a'} MB RSS`,
      ratio: `${ratio(s[system].p99, s.execa.p99)} execa`,
      target: `p99 ≤ execa p99 + 2 ms (${ms(s.execa.p99 + 2)})`,
      pass: s[system].p99 <= s.execa.p99 + 2,
    }));
  }
  const ipc = [out.burst100['execa-spawner'].ipc, s['execa-spawner'].ipc].filter(Boolean);
  rows.push(row('spawner: the extra hop (burst 100; spread): send() on the big process, send → child has it p50/p99', {
    jobd: ipc.map((x) => `${x.sendUs} µs`).join('; '),
    peers: ipc.map((x) => `${ms(x.hopP50, 2)}/${ms(x.hopP99, 2)}`).join('; '),
  }));
  const all = ['burst10', 'burst100', 'spread'].flatMap((k) => SYSTEMS.map((sys) => out[k][sys]));
  rows.push(row('spawner: missed / duplicate fires (all spawner cases, all three)', {
    jobd: `${all.reduce((a, r) => a + r.missed, 0)} / ${all.reduce((a, r) => a + r.duplicates, 0)} of ${all.reduce((a, r) => a + r.expected, 0)}`,
    target: '0 / 0',
  }));
  return rows;
}
