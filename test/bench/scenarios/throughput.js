// 3. Throughput: one-shot jobs spread evenly at rising rates, a fresh daemon per step; the highest
// rate whose lateness does not grow, against the same ramp run by the execa floor (plain timers
// spawning through jobd's spawn path), the two taking turns at each step.
import { jobIds, runOnceCase } from '../lib/fire-case.js';
import { median, percentile, round } from '../lib/stats.js';
import { row } from '../lib/table.js';
import { spawnLimit } from './spawn-limit.js';

// Steps as fractions of the execa spawn limit of the same command, so the ramp fits any machine.
const FRACTIONS = [0.3, 0.45, 0.6, 0.7, 0.8, 0.9, 1.0, 1.15];

/**
 * A rate is sustained when every fire started once and lateness did not build up: the median
 * lateness of the last quarter of fires is within 20 ms of the first quarter's, and under 50 ms.
 */
function judge(result, fires) {
  const byTime = [...result.laterByDue].sort((a, b) => a[0] - b[0]).map(([, late]) => late);
  const quarter = Math.max(1, Math.floor(byTime.length / 4));
  const first = median(byTime.slice(0, quarter));
  const last = median(byTime.slice(-quarter));
  const sustained = result.missed === 0 && result.duplicates === 0 && last <= first + 20 && median(byTime) <= 50;
  return { fires, missed: result.missed, duplicates: result.duplicates, p50: round(median(byTime)), p99: round(percentile(byTime, 99)), firstQuarterP50: round(first), lastQuarterP50: round(last), sustained };
}

async function step(system, rate, seconds) {
  const gap = 1000 / rate;
  const fires = Math.round(rate * seconds);
  // More files take longer to load; the lead keeps the first instant after daemon.start.
  const leadMs = 2500 + fires;
  const makeJobs = (t0) => jobIds('t', fires).map((id, i) => ({ id, at: Math.round(t0 + i * gap) }));
  // The floor spawns at most as many at once as jobd's default --max-concurrency.
  const result = await runOnceCase({ system, makeJobs, leadMs, drainMs: 3000, concurrency: system === 'execa' ? 32 : null });
  return { rate: round(rate, 0), readyLateMs: result.readyLateMs, ...judge(result, fires) };
}

export async function throughput({ quick, previous }) {
  const limits = previous.spawn ?? (await spawnLimit({ quick: true })).summary;
  const limit = limits.limitStamp;
  const seconds = quick ? 2 : 3;
  const steps = { execa: [], jobd: [] };
  const failures = { execa: 0, jobd: 0 };
  // Stop a system after two failed steps in a row: higher rates only fail harder.
  for (const fraction of FRACTIONS) {
    for (const system of ['execa', 'jobd']) {
      if (failures[system] >= 2) continue;
      const s = await step(system, fraction * limits.limitExeca, seconds);
      steps[system].push(s);
      failures[system] = s.sustained ? 0 : failures[system] + 1;
    }
    if (failures.execa >= 2 && failures.jobd >= 2) break;
  }
  const bestOf = (system) => Math.max(0, ...steps[system].filter((s) => s.sustained).map((s) => s.rate));
  const best = bestOf('jobd');
  const floor = bestOf('execa');
  const marks = (system) => steps[system].map((s) => `${s.rate}${s.sustained ? '✓' : '✗'}`).join(' ');
  const rows = [
    row(`sustained runs/s (one-shots spread evenly, ${seconds} s per step)`, {
      jobd: `${best}/s`,
      peers: `execa floor ${floor}/s; raw limit ${limit}/s, execa limit ${limits.limitExeca}/s (stamp cmd); steps jobd ${marks('jobd')}, execa ${marks('execa')}`,
      ratio: `${(best / floor).toFixed(2)}× execa, ${(best / limit).toFixed(2)}× raw`,
      target: '≥ 0.85× execa floor',
      pass: floor > 0 && best / floor >= 0.85,
    }),
  ];
  return { rows, summary: { limitStamp: limit, limitExeca: limits.limitExeca, limitTrue: limits.limitTrue, best, floor, ratio: round(best / floor), steps } };
}
