// 2. Dispatch lateness: one job, bursts of N jobs due on the same second, and 100 one-shot jobs/s
// spread evenly; jobd against the raw timer baseline, the same timers spawning through execa,
// croner and node-cron in the same run.
import { everySeconds, jobIds, runCronCase, runOnceCase } from '../lib/fire-case.js';
import { median, round } from '../lib/stats.js';
import { ms, ratio, row } from '../lib/table.js';

const SYSTEMS = ['timer', 'execa', 'jobd', 'croner', 'node-cron'];
// jobd's default --max-concurrency: the raw burst baseline spawns with the same limit.
const JOBD_CONCURRENCY = 32;

function cronCases(quick) {
  return [
    { name: 'one', n: 1, periodS: 1, bursts: quick ? 4 : 15 },
    { name: 'burst10', n: 10, periodS: 2, bursts: quick ? 2 : 3 },
    { name: 'burst100', n: 100, periodS: 3, bursts: quick ? 2 : 3 },
    { name: 'burst1000', n: 1000, periodS: 10, bursts: quick ? 1 : 2 },
  ];
}

async function measureCron(c, system) {
  const makeJobs = () => jobIds('j', c.n).map((id) => ({ id, cron: everySeconds(c.periodS), periodMs: c.periodS * 1000 }));
  const concurrency = (system === 'timer' || system === 'execa') && c.n > 1 ? JOBD_CONCURRENCY : null;
  const drainMs = Math.max(3000, c.periodS * 1000);
  return runCronCase({ system, makeJobs, periodMs: c.periodS * 1000, bursts: c.bursts, concurrency, drainMs });
}

async function measureSpread(system, { rate, seconds }) {
  const step = 1000 / rate;
  const makeJobs = (t0) => jobIds('s', rate * seconds).map((id, i) => ({ id, at: Math.round(t0 + i * step) }));
  return runOnceCase({ system, makeJobs, leadMs: 3000, drainMs: 5000 });
}

/** Keeps the figures of one measured case (not every sample) for results.json. */
function keep(r) {
  const lastStarts = [...r.lastByInstant.values()];
  return {
    n: r.n, expected: r.expected, missed: r.missed, duplicates: r.duplicates, readyLateMs: round(r.readyLateMs ?? 0),
    p50: round(r.p50), p99: round(r.p99), max: round(r.max),
    lastStartMedian: round(median(lastStarts)), lastStarts: lastStarts.map((v) => round(v)),
  };
}

const triple = (r) => (r ? `${r.p50.toFixed(1)}/${r.p99.toFixed(1)}/${r.max.toFixed(1)} ms` : 'n/a');

export async function dispatch({ quick }) {
  const out = {};
  for (const c of cronCases(quick)) {
    out[c.name] = {};
    // Systems take turns inside each case, so slow drift of the machine hits all of them alike.
    for (const system of SYSTEMS) out[c.name][system] = keep(await measureCron(c, system));
  }
  const spread = { rate: 100, seconds: quick ? 3 : 6 };
  out.spread = { rate: spread.rate, seconds: spread.seconds };
  for (const system of ['timer', 'execa', 'jobd', 'croner']) out.spread[system] = keep(await measureSpread(system, spread));
  return { rows: dispatchRows(out, quick), summary: out };
}

function dispatchRows(out, quick) {
  const rows = [];
  const one = out.one;
  rows.push(row(`one job, ${one.jobd.expected} fires: lateness p50/p99/max`, {
    jobd: triple(one.jobd),
    peers: `raw ${triple(one.timer)}; execa ${triple(one.execa)}; croner ${triple(one.croner)}; node-cron ${triple(one['node-cron'])}`,
    ratio: `${ratio(one.jobd.p99, one.execa.p99)} execa, ${ratio(one.jobd.p99, one.timer.p99)} raw`,
    target: `p99 ≤ execa p99 + 3 ms (${ms(one.execa.p99 + 3)})`,
    pass: one.jobd.p99 <= one.execa.p99 + 3,
  }));
  for (const c of cronCases(quick).slice(1)) {
    const r = out[c.name];
    const limit = 1.1 * r.execa.lastStartMedian + 5;
    rows.push(row(`burst N=${c.n} (${c.bursts}×): last start after due, median`, {
      jobd: `${ms(r.jobd.lastStartMedian)} (p50 ${ms(r.jobd.p50)})`,
      peers: `raw c=${JOBD_CONCURRENCY} ${ms(r.timer.lastStartMedian)}; execa c=${JOBD_CONCURRENCY} ${ms(r.execa.lastStartMedian)}; croner ${ms(r.croner.lastStartMedian)}; node-cron ${ms(r['node-cron'].lastStartMedian)}`,
      ratio: `${ratio(r.jobd.lastStartMedian, r.execa.lastStartMedian)} execa, ${ratio(r.jobd.lastStartMedian, r.timer.lastStartMedian)} raw`,
      target: `≤ 1.10×execa + 5 ms (${ms(limit)})`,
      pass: r.jobd.lastStartMedian <= limit,
    }));
  }
  const s = out.spread;
  rows.push(row(`spread ${s.rate}/s for ${s.seconds} s: lateness p50/p99/max`, {
    jobd: triple(s.jobd),
    peers: `raw ${triple(s.timer)}; execa ${triple(s.execa)}; croner ${triple(s.croner)}; node-cron n/a (1 s resolution)`,
    ratio: `${ratio(s.jobd.p99, s.execa.p99)} execa, ${ratio(s.jobd.p99, s.timer.p99)} raw`,
    target: `p99 ≤ execa p99 + 2 ms (${ms(s.execa.p99 + 2)})`,
    pass: s.jobd.p99 <= s.execa.p99 + 2,
  }));
  rows.push(missedRow(out));
  return rows;
}

function missedRow(out) {
  const cases = ['one', 'burst10', 'burst100', 'burst1000', 'spread'];
  const count = (system) => {
    const rs = cases.map((c) => out[c][system]).filter(Boolean);
    return { missed: rs.reduce((a, r) => a + r.missed, 0), dup: rs.reduce((a, r) => a + r.duplicates, 0), of: rs.reduce((a, r) => a + r.expected, 0) };
  };
  const f = (x) => `${x.missed} / ${x.dup} of ${x.of}`;
  const jobd = count('jobd');
  return row('missed / duplicate fires (all dispatch cases)', {
    jobd: f(jobd),
    peers: `raw ${f(count('timer'))}; execa ${f(count('execa'))}; croner ${f(count('croner'))}; node-cron ${f(count('node-cron'))}`,
    target: '0 / 0',
    pass: jobd.missed === 0 && jobd.dup === 0,
  });
}
