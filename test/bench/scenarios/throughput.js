// 3. Throughput: one-shot jobs spread evenly at rising rates, a fresh daemon per step; the highest
// rate whose lateness does not grow, as a ratio of the raw spawn limit measured in the same run.
import { jobIds, runOnceCase } from '../lib/fire-case.js';
import { median, percentile, round } from '../lib/stats.js';
import { row } from '../lib/table.js';
import { spawnLimit } from './spawn-limit.js';

// Steps as fractions of the raw limit of the same command, so the ramp fits any machine.
const FRACTIONS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.85, 1.0];

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

async function step(rate, seconds) {
  const gap = 1000 / rate;
  const fires = Math.round(rate * seconds);
  // More files take longer to load; the lead keeps the first instant after daemon.start.
  const leadMs = 2500 + fires;
  const makeJobs = (t0) => jobIds('t', fires).map((id, i) => ({ id, at: Math.round(t0 + i * gap) }));
  const result = await runOnceCase({ system: 'jobd', makeJobs, leadMs, drainMs: 3000 });
  return { rate: round(rate, 0), readyLateMs: result.readyLateMs, ...judge(result, fires) };
}

export async function throughput({ quick, previous }) {
  const limits = previous.spawn ?? (await spawnLimit({ quick: true })).summary;
  const limit = limits.limitStamp;
  const seconds = quick ? 2 : 3;
  const steps = [];
  let failures = 0;
  // Stop after two failed steps in a row: higher rates only fail harder.
  for (const fraction of FRACTIONS) {
    const s = await step(fraction * limit, seconds);
    steps.push(s);
    failures = s.sustained ? 0 : failures + 1;
    if (failures >= 2) break;
  }
  const best = Math.max(0, ...steps.filter((s) => s.sustained).map((s) => s.rate));
  const rows = [
    row(`sustained runs/s (one-shots spread evenly, ${seconds} s per step)`, {
      jobd: `${best}/s`,
      peers: `raw limit ${limit}/s, execa limit ${limits.limitExeca}/s (stamp cmd); steps ${steps.map((s) => `${s.rate}${s.sustained ? '✓' : '✗'}`).join(' ')}`,
      ratio: `${(best / limit).toFixed(2)}×`,
      target: '≥ 0.70× raw limit',
      pass: best / limit >= 0.7,
    }),
  ];
  return { rows, summary: { limitStamp: limit, limitTrue: limits.limitTrue, best, ratio: round(best / limit), steps } };
}
