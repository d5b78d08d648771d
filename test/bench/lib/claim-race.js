// The claim statement at saturation: jobd's own claimFire (dist/cluster/claim.js) from several
// "nodes", each a pool of jobd's connectDatabase, racing on every fire of many jobs with no
// pause between fires. What the database and the statement can take, apart from timers and spawns.
import { randomUUID } from 'node:crypto';
import { jobdModule } from './jobd.js';

/**
 * Resolves to { fires, statements, won, seconds, missed, duplicates }: `jobs` jobs with `instants`
 * past instants each, tried in the same order by `nodes` nodes with `perNode` claims in flight each.
 */
export async function claimRace({ url, jobs, instants, nodes, perNode }) {
  const [{ connectDatabase }, { migrate, quotedSchema }, { claimFire }] = await Promise.all(
    ['cluster/connection.js', 'cluster/migrate.js', 'cluster/claim.js'].map((path) => import(jobdModule(path))),
  );
  const S = quotedSchema('public');
  const noReport = () => undefined;
  const setup = connectDatabase({ url, nodeId: 'bench', report: noReport });
  const migrated = await migrate(setup, 'public');
  if (!migrated.ok) throw new Error(migrated.message);
  const ids = Array.from({ length: jobs }, (_, i) => `cap-${i}`);
  await setup.query(`INSERT INTO ${S}.jobd_jobs (id, definition_hash, published_by) SELECT unnest($1::text[]), 'bench', 'bench'`, [ids]);
  // A cron job whose runs may overlap: the claim checks hash, pause, maxRuns, the high-water mark and the clock.
  const job = (id) => ({ id, maxRuns: null, overlap: 'allow', schedule: { kind: 'cron' } });
  // Instant-major order, as nodes meet the fires; all in the past, so none waits for the clock.
  const base = Date.now() - (instants + 10) * 1000;
  const fires = [];
  for (let k = 0; k < instants; k += 1) for (const id of ids) fires.push({ jobId: id, trigger: 'schedule', scheduledAt: base + k * 1000 });

  const pools = Array.from({ length: nodes }, (_, n) => connectDatabase({ url, nodeId: `race-${n}`, report: noReport }));
  let won = 0;
  let unavailable = 0;
  const node = async (db, n) => {
    let next = 0;
    const worker = async () => {
      while (next < fires.length) {
        const fire = fires[next++];
        const claimed = await claimFire({ db, schema: S, fire, job: job(fire.jobId), hash: 'bench', nodeId: `race-${n}`, owner: randomUUID(), leaseMs: 30_000 });
        if (claimed === 'unavailable') unavailable += 1;
        else if (claimed !== null) won += 1;
      }
    };
    await Promise.all(Array.from({ length: perNode }, worker));
  };
  const t0 = performance.now();
  await Promise.all(pools.map(node));
  const seconds = (performance.now() - t0) / 1000;
  const [counts] = await setup.query(`SELECT count(*)::int AS rows, count(DISTINCT (job, scheduled_at))::int AS fires FROM ${S}.jobd_runs WHERE job = ANY($1)`, [ids]);
  await Promise.all([...pools, setup].map((db) => db.end()));
  if (unavailable > 0) throw new Error(`claim race: ${unavailable} statements failed`);
  return { fires: fires.length, statements: fires.length * nodes, won, seconds, missed: fires.length - counts.fires, duplicates: counts.rows - counts.fires };
}
