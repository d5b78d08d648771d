// 8. Cluster: one-shot jobs spread evenly at 100 fires/s, run by one daemon and then by three
// `--cluster` nodes on one real PostgreSQL; the added p99 lateness of claiming through the database.
// Then the claim statement's own capacity: three nodes racing on every fire of many jobs at once.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { claimRace } from '../lib/claim-race.js';
import { jobIds, runOnceCase } from '../lib/fire-case.js';
import { startJobd, wallMs } from '../lib/jobd.js';
import { startPostgres } from '../lib/postgres.js';
import { sleep } from '../lib/proc.js';
import { analyzeStamps, readStamps, stampCommand } from '../lib/stamps.js';
import { percentile, round } from '../lib/stats.js';
import { makeDir, removeDir, writeJobFiles } from '../lib/systems.js';
import { ms, row } from '../lib/table.js';

const RATE = 100;
const NODES = ['n1', 'n2', 'n3'];
// The race: 100 jobs, each instant tried by every node, 4 claims in flight per node (its pool's size).
const RACE_JOBS = 100;
const RACE_IN_FLIGHT = 4;

const spread = (fires) => (t0) => jobIds('c', fires).map((id, i) => ({ id, at: Math.round(t0 + (i * 1000) / RATE) }));

async function drain(stampFile, expected, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && analyzeStamps(readStamps(stampFile), expected).missed > 0) await sleep(200);
}

// Three nodes share one jobs dir (as a shared mount would); each keeps its own state and socket.
async function clusterCase(url, fires) {
  const dir = makeDir('cluster');
  const stampFile = join(dir, 'stamps');
  const nodes = [];
  try {
    // Every node loads and publishes every job before the first instant.
    const jobs = spread(fires)(Math.ceil(wallMs() + 6000 + 3 * fires));
    writeJobFiles(dir, jobs, stampCommand(stampFile));
    for (const id of NODES) {
      const nodeDir = join(dir, id);
      mkdirSync(nodeDir);
      nodes.push(await startJobd({ dir: nodeDir, jobsDir: join(dir, 'jobs.d'), extraArgs: ['--cluster', url, '--node-id', id] }));
    }
    const readyAt = wallMs();
    const expected = jobs.map((j) => ({ job: j.id, scheduledMs: j.at }));
    await sleep(jobs.at(-1).at - wallMs());
    await drain(stampFile, expected, 5000);
    return { ...analyzeStamps(readStamps(stampFile), expected), readyLateMs: Math.max(0, readyAt - jobs[0].at) };
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    removeDir(dir);
  }
}

export async function cluster({ quick }) {
  const seconds = quick ? 2 : 5;
  const fires = RATE * seconds;
  const single = await runOnceCase({ system: 'jobd', makeJobs: spread(fires), leadMs: 2500 + fires, drainMs: 3000 });
  const db = await startPostgres();
  let three;
  let race;
  try {
    three = await clusterCase(db.url, fires);
    race = await claimRace({ url: db.url, jobs: RACE_JOBS, instants: quick ? 10 : 50, nodes: NODES.length, perNode: RACE_IN_FLIGHT });
  } finally {
    await db.stop();
  }
  const capacity = race.won / race.seconds;
  const p99 = (r) => percentile(r.lateness, 99);
  const added = p99(three) - p99(single);
  const claims = (fires - three.missed) / seconds;
  const rows = [
    row(`cluster, 3 nodes, ${RATE} fires/s for ${seconds} s: claims/s won (each node tries every fire)`, {
      jobd: `${round(claims, 0)}/s`,
      peers: `${NODES.length * fires} claim statements in ${seconds} s; missed ${three.missed}, duplicates ${three.duplicates}`,
      target: 'every fire once',
      pass: three.missed === 0 && three.duplicates === 0,
    }),
    row(`cluster, 3 nodes, ${RATE} fires/s: lateness p50/p99`, {
      jobd: `${ms(percentile(three.lateness, 50))}/${ms(p99(three))}`,
      peers: `single node ${ms(percentile(single.lateness, 50))}/${ms(p99(single))}`,
      ratio: `+${ms(added)}`,
      target: 'p99 ≤ single-node p99 + 10 ms',
      pass: added <= 10 && three.readyLateMs === 0,
    }),
    row(`cluster, claim capacity: ${NODES.length} nodes × ${RACE_IN_FLIGHT} connections racing on every fire of ${RACE_JOBS} jobs, no pause`, {
      jobd: `${round(capacity, 0)} fires/s claimed`,
      peers: `${round(race.statements / race.seconds, 0)} claim statements/s; ${race.fires} fires in ${round(race.seconds, 1)} s; missed ${race.missed}, duplicates ${race.duplicates}`,
      ratio: `${round(capacity / RATE, 1)}× the ${RATE}/s above`,
      target: 'every fire once',
      pass: race.won === race.fires && race.missed === 0 && race.duplicates === 0,
    }),
  ];
  const summary = {
    rate: RATE, seconds, fires, claimsPerSecond: round(claims), missed: three.missed, duplicates: three.duplicates,
    singleP99: round(p99(single)), clusterP99: round(p99(three)), addedP99: round(added), readyLateMs: three.readyLateMs,
    race: { ...race, seconds: round(race.seconds), firesPerSecond: round(capacity), statementsPerSecond: round(race.statements / race.seconds) },
  };
  return { rows, summary };
}
