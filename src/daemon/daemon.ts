import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DaemonConfig, DaemonControl } from '../types.js';
import { afterProblems } from '../job/after-graph.js';
import { untrustedReason } from '../job/file-trust.js';
import { logEvent } from '../log/events.js';
import { createLogger } from '../log/logger.js';
import { startControlServer } from '../control/server.js';
import { createStateStore, loadState } from '../state/state-store.js';
import { watchJobsDir } from '../watch/watch-jobs-dir.js';
import type { DaemonContext } from './context.js';
import { openCluster } from './cluster-seam.js';
import { createControl } from './control.js';
import { createJobFileLoader } from './job-files.js';
import { activeJobs, createRegistry, invalidFiles, jobById } from './registry.js';
import { restoreState } from './restore.js';
import { launchRun, recordSkip, stopRuns } from './runs.js';
import { createScheduler } from './scheduler.js';
import { claim } from './policies.js';
import { handleSignals } from './shutdown.js';
import { snapshotOf } from './snapshot-of.js';

export type DaemonStart = { ok: true; stopped: Promise<void> } | { ok: false; message: string };

/** Starts the daemon: state, jobs, watcher, signals. `stopped` settles after a clean shutdown. */
export async function startDaemon(config: DaemonConfig, version: string): Promise<DaemonStart> {
  const isDir = await stat(config.jobsDir).then((s) => s.isDirectory(), () => false);
  if (!isDir) return { ok: false, message: `${config.jobsDir}: jobs directory not found (create it, or run: jobd init ${config.jobsDir})` };
  const untrusted = untrustedReason(config.jobsDir, config, 'directory');
  if (untrusted) return { ok: false, message: `${config.jobsDir}: ${untrusted}` };
  const socketDir = dirname(config.socket);
  const exposed = untrustedReason(socketDir, config, 'socket directory');
  if (exposed) return { ok: false, message: `${socketDir}: ${exposed}` };
  const log = createLogger({ level: config.logLevel, pretty: config.pretty, logFile: config.logFile });
  const ctx = createContext(config, version, log.logger);
  if (config.cluster) {
    const joined = await openCluster(ctx, config.cluster);
    if (!joined.ok) {
      log.flush();
      return joined;
    }
    ctx.cluster = joined.seam;
  }
  const daemonControl = createControl(ctx, log.subscribe);
  const control = await startControlServer(config.socket, daemonControl);
  if (!control.ok) {
    await ctx.cluster?.close();
    return control;
  }
  const metrics = await serveMetrics(ctx, daemonControl);
  if (!metrics.ok) {
    await control.server.close();
    await ctx.cluster?.close();
    return metrics;
  }
  restoreState(ctx, await loadState(config.stateFile, new Date()));
  const loader = createJobFileLoader(ctx);
  const watcher = await watchJobsDir({
    dir: config.jobsDir,
    onEvent: (event) => loader.onEvent(event),
    onError: (error) => logEvent(ctx.logger, 'daemon.error', { message: error.message, path: config.jobsDir }),
  });
  // Handlers go in before the jobs load, so a signal at any point after start-up is a clean stop.
  const stopped = handleSignals(ctx, {
    closeWatcher: () => watcher.close(),
    closeServer: async () => {
      await control.server.close();
      await metrics.close();
      await ctx.cluster?.close();
    },
    reopenLogs: () => log.reopen(),
    flushLogs: () => log.flush(),
  });
  await loader.loadAll();
  reportAfterProblems(ctx);
  logEvent(ctx.logger, 'daemon.start', {
    pid: process.pid, version, jobsDir: config.jobsDir, stateFile: config.stateFile, socket: config.socket, metrics: metrics.address,
    jobs: activeJobs(ctx.registry).length, invalid: new Set(invalidFiles(ctx.registry).map((p) => p.file)).size,
  });
  ctx.store.saveSoon();
  return { ok: true, stopped };
}

async function serveMetrics(
  ctx: DaemonContext, control: DaemonControl,
): Promise<{ ok: true; close: () => Promise<void>; address: string | null } | { ok: false; message: string }> {
  if (!ctx.config.metrics) return { ok: true, close: async () => undefined, address: null };
  // Loaded only when asked for: prom-client adds megabytes to every daemon otherwise.
  const [{ createMetrics }, { startMetricsServer }] = await Promise.all([
    import('../metrics/metrics.js'),
    import('../metrics/metrics-server.js'),
  ]);
  const metrics = createMetrics(() => control.status());
  control.subscribe(metrics.observe);
  const server = await startMetricsServer({ ...ctx.config.metrics, metrics, healthy: () => !ctx.stopping });
  if (!server.ok) return server;
  return { ok: true, close: server.close, address: `${ctx.config.metrics.host}:${server.port}` };
}

// `after` spans files, so it can only be checked once all of them are loaded.
function reportAfterProblems(ctx: DaemonContext): void {
  for (const problem of afterProblems(activeJobs(ctx.registry))) {
    const keeping = activeJobs(ctx.registry).find((job) => job.file === problem.file)?.id ?? null;
    const { file, path, message } = problem;
    logEvent(ctx.logger, 'job.invalid', { file, path, message, problems: [{ path, message }], keeping });
  }
}

function createContext(config: DaemonConfig, version: string, logger: DaemonContext['logger']): DaemonContext {
  const ctx = { config, version, startedAt: new Date(), logger, registry: createRegistry(), records: new Map(), running: new Map(), launchWatchers: new WeakMap(), cluster: null, stopping: false } as
    Omit<DaemonContext, 'scheduler' | 'store'> as DaemonContext;
  ctx.store = createStateStore({
    path: config.stateFile,
    snapshot: () => snapshotOf(ctx),
    onSaved: (info) => logEvent(logger, 'state.saved', { file: config.stateFile, ...info }),
    onError: (message) => logEvent(logger, 'state.error', { file: config.stateFile, message }),
  });
  ctx.scheduler = createScheduler({
    records: ctx.records,
    job: (id) => jobById(ctx.registry, id),
    maxConcurrency: config.maxConcurrency,
    runningOf: (jobId) => [...ctx.running.values()].filter((a) => a.run.job.id === jobId).map((a) => a.run.id),
    runningTotal: () => ctx.running.size,
    launch: (fire) => launchRun(ctx, fire),
    claim: (fire) => claim(fire, ctx.cluster),
    skip: (fire, decision) => recordSkip(ctx, fire, decision),
    stopRuns: (runIds) => stopRuns(ctx, runIds, 'cancelled'),
  });
  return ctx;
}
