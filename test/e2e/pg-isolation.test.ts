import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_FIXTURES, JOBD_BIN, REPO_ROOT, linesOf, runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { importGraph, packageOf, type ImportEdge } from '../helpers/import-graph.js';
import { writeJob } from '../helpers/jobs.js';
import { startDaemon } from '../helpers/start-daemon.js';

const DIST = join(REPO_ROOT, 'dist');
const ENTRIES = [JOBD_BIN, join(DIST, 'daemon/daemon.js')];
const inCluster = (file: string) => relative(DIST, file).startsWith('cluster/');
const importsPg = (edge: ImportEdge) => packageOf(edge.spec) === 'pg';
const named = (edge: ImportEdge) => `${relative(DIST, edge.from)} ${edge.dynamic ? 'import()' : 'import'} ${edge.to === null ? edge.spec : relative(DIST, edge.to)}`;

describe('pg stays in the cluster folder (issue 12)', () => {
  const tmp = useTempDir();
  // The module URLs a jobd process resolved, logged by a loader hook preloaded through NODE_OPTIONS.
  const importLog = () => tmp().path('imports.log');
  const resolved = async () => linesOf(await readFile(importLog(), 'utf8'));
  const pgModules = (urls: string[]) => urls.filter((url) => url.includes('/node_modules/pg/') || url.includes('/dist/cluster/'));

  it('issue 12: in dist/, from bin/jobd.js and daemon/daemon.js, only cluster/ modules import pg, and cluster/ is entered only through a dynamic import', () => {
    const edges = importGraph(ENTRIES);
    const pgImporters = [...new Set(edges.filter(importsPg).map((edge) => relative(DIST, edge.from)))].sort();
    expect(pgImporters).toEqual(['cluster/connection.js', 'cluster/listen.js']);
    // The only ways in: openCluster, called when `start` has --cluster, and `jobd db migrate --cluster`.
    const intoCluster = edges.filter((edge) => edge.to !== null && inCluster(edge.to) && !inCluster(edge.from));
    expect(intoCluster.map(named).sort()).toEqual(['cli/db.js import() cluster/migrate.js', 'daemon/cluster-seam.js import() cluster/store.js']);
    // Every other import, static or dynamic, keeps away from pg.
    const rest = importGraph(ENTRIES, { follow: (edge) => edge.to === null || !inCluster(edge.to) });
    expect(rest.filter(importsPg).map(named)).toEqual([]);
    expect(rest.some((edge) => relative(DIST, edge.from) === 'daemon/runs.js')).toBe(true);
  });

  it('issue 12: a single-host jobd start runs jobs without ever loading pg; with --cluster it loads it', async () => {
    const env = { NODE_OPTIONS: `--import ${join(E2E_FIXTURES, 'log-imports.mjs')}`, JOBD_TEST_IMPORT_LOG: importLog() };
    await writeJob(tmp().jobsDir, 'hello', { schedule: '@every 1s', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir, env });
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'hello', { timeoutMs: 8_000 });
    // jobd status, another process, neither.
    expect(await runCli(['status', '--socket', tmp().path('jobd.sock')], { cwd: tmp().dir, env })).toMatchObject({ code: 0 });
    await daemon.stop('SIGTERM');
    const single = await resolved();
    expect(single).toContain(`file://${join(DIST, 'daemon/daemon.js')}`);
    expect(single).toContain(`file://${join(DIST, 'run/run-job.js')}`);
    expect(pgModules(single)).toEqual([]);

    // The same start with --cluster takes the dynamic import (and fails on a database that is not there).
    const nowhere = `postgres://jobd@${encodeURIComponent(tmp().path('nowhere'))}/jobd`;
    const cluster = await runCli(['start', '--jobs-dir', tmp().jobsDir, '--state-file', tmp().path('cluster.json'), '--cluster', nowhere], { cwd: tmp().dir, env });
    expect(cluster.code).toBe(1);
    const loaded = pgModules((await resolved()).slice(single.length));
    expect(loaded).toContain(`file://${join(DIST, 'cluster/store.js')}`);
    expect(loaded.some((url) => url.includes('/node_modules/pg/'))).toBe(true);
  });
});
