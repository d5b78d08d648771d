// `npm run bench`: runs every scenario in order, prints one table and writes results.json.
// `--only <scenario>` runs one (spawn, dispatch, throughput, scale, reload, timeout, state, status, page, cluster);
// `--quick` shortens every window (for development; its figures are not the published ones).
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dropBuildSnapshot, useBuildSnapshot } from './lib/jobd.js';
import { killAll } from './lib/proc.js';
import { formatTable } from './lib/table.js';
import { spawnLimit } from './scenarios/spawn-limit.js';
import { dispatch } from './scenarios/dispatch.js';
import { throughput } from './scenarios/throughput.js';
import { scale } from './scenarios/scale.js';
import { reload } from './scenarios/reload.js';
import { timeoutPrecision } from './scenarios/timeout.js';
import { stateLoad } from './scenarios/state-load.js';
import { statusCall } from './scenarios/status.js';
import { statusPage } from './scenarios/page.js';
import { cluster } from './scenarios/cluster.js';

const SCENARIOS = { spawn: spawnLimit, dispatch, throughput, scale, reload, timeout: timeoutPrecision, state: stateLoad, status: statusCall, page: statusPage, cluster };
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

function parseArgs(argv) {
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1] : null;
  if (only !== null && !(only in SCENARIOS)) throw new Error(`--only: expected one of ${Object.keys(SCENARIOS).join(', ')}, got ${only}`);
  return { only, quick: argv.includes('--quick') };
}

const fmtLoad = (l) => l.map((x) => x.toFixed(2)).join(' ');

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  useBuildSnapshot();
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    // Other work on the machine shows here; the ratios are meant to survive it, absolute times are not.
    loadAverage: { start: loadavg() },
    options,
    scenarios: {},
  };
  const rows = [];
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    if (options.only && options.only !== name) continue;
    const t0 = Date.now();
    process.stderr.write(`bench: ${name}...\n`);
    // Later scenarios compare with the spawn limit and the raw baselines measured before them.
    const out = await scenario({ ...options, previous: results.scenarios });
    results.scenarios[name] = { ...out.summary, seconds: Math.round((Date.now() - t0) / 1000), loadAverageAfter: loadavg() };
    rows.push(...out.rows);
    process.stderr.write(`bench: ${name} done in ${results.scenarios[name].seconds} s\n`);
  }
  results.totalSeconds = Math.round((Date.now() - started) / 1000);
  results.loadAverage.end = loadavg();
  results.rows = rows;
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(formatTable(rows));
  console.log(`\nload average at start ${fmtLoad(results.loadAverage.start)}, at end ${fmtLoad(results.loadAverage.end)}`);
  console.log(`${rows.filter((r) => r.pass === false).length} target(s) missed; ${results.totalSeconds} s; results in ${RESULTS}`);
}

// Whatever happens, no daemon or child outlives the bench.
process.on('SIGINT', () => (killAll(), dropBuildSnapshot(), process.exit(130)));
process.on('SIGTERM', () => (killAll(), dropBuildSnapshot(), process.exit(143)));
main()
  .catch((error) => {
    console.error(`bench failed: ${error.stack ?? error}`);
    process.exitCode = 1;
  })
  .finally(() => {
    killAll();
    dropBuildSnapshot();
  });
