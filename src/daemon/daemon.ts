import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DaemonConfig, DaemonControl } from '../types.js';
import { afterProblems } from '../job/after-graph.js';
import { untrustedReason } from '../job/file-trust.js';
import { logEvent } from '../log/events.js';
import { createEventRing } from '../log/event-ring.js';
import { createLogger } from '../log/logger.js';
import { startControlServer } from '../control/server.js';
import type { Metrics } from '../metrics/metrics.js';
import { instanceId } from '../run/marked-processes.js';
import { createSpawnerProcess } from '../run/spawner-process.js';
import { createCheckpointStore } from '../state/checkpoints.js';
import { makeStateDir } from '../state/state-dir.js';
import { lockStateFile } from '../state/state-lock.js';
import { removeStaleTempFiles } from '../state/stale-temp-files.js';
import { createStateStore, loadState } from '../state/state-store.js';
import { watchJobsDir } from '../watch/watch-jobs-dir.js';
import type { DaemonContext } from './context.js';
import { openCluster } from './cluster-seam.js';
import { createControl } from './control.js';
import { holdStopSignals, type HeldSignals } from './held-signals.js';
import { metricsFoldedIntoHttp, serveHttp } from './http-listener.js';
import { createJobFileLoader } from './job-files.js';
import { activeJobs, createRegistry, invalidFiles, jobById } from './registry.js';
import { recordOrphans, stopOrphans } from './orphans.js';
import { restoreState } from './restore.js';
import { resumeInterrupted } from './resume.js';
import { launchRun, logMissedFires, recordSkip, stopRuns } from './runs.js';
import { createScheduler } from './scheduler.js';
import { claim } from './policies.js';
import { handleSignals } from './shutdown.js';
import { snapshotOf } from './snapshot-of.js';

export type DaemonStart = { ok: true; stopped: Promise<void> } | { ok: false; message: string };

/** Starts the daemon: state, jobs, watcher, signals. `stopped` settles after a clean shutdown. */
export async function startDaemon(config: DaemonConfig, version: string): Promise<DaemonStart> {
  const held = holdStopSignals();
  try {
    return await start(config, version, held);
  } finally {
    held.release();
  }
}

async function start(config: DaemonConfig, version: string, held: HeldSignals): Promise<DaemonStart> {
  const isDir = await stat(config.jobsDir).then((s) => s.isDirectory(), () => false);
  if (!isDir) return { ok: false, message: `${config.jobsDir}: jobs directory not found (create it, or run: jobd init ${config.jobsDir})` };
  const untrusted = untrustedReason(config.jobsDir, config, 'directory');
  if (untrusted) return { ok: false, message: `${config.jobsDir}: ${untrusted}` };
  const clash = socketClash(config);
  if (clash) return { ok: false, message: clash };
  const noStateDir = await makeStateDir(config.stateFile);
  if (noStateDir) return { ok: false, message: noStateDir };
  const socketDir = dirname(config.socket);
  const exposed = untrustedReason(socketDir, config, 'socket directory');
  if (exposed) return { ok: false, message: `${socketDir}: ${exposed}` };
  // One daemon per state file, from before anything is read until after the last save.
  const lock = await lockStateFile(config.stateFile);
  if (!lock.ok) return lock;
  const started = await startLocked(config, version, held);
  if (!started.ok) await lock.release();
  return started.ok ? { ok: true, stopped: started.stopped.then(lock.release) } : started;
}

async function startLocked(config: DaemonConfig, version: string, held: HeldSignals): Promise<DaemonStart> {
  const log = createLogger({ level: config.logLevel, pretty: config.pretty, logFile: config.logFile });
  // Kept from the first line on, in every mode, so `jobd logs` needs no --log-file.
  const ring = createEventRing();
  log.keepLines(ring.add);
  const ctx = createContext(config, version, log.logger);
  if (config.cluster) {
    const joined = await openCluster(ctx, config.cluster);
    if (!joined.ok) {
      log.flush();
      return joined;
    }
    ctx.cluster = joined.seam;
  }
  const daemonControl = createControl(ctx, { subscribe: log.subscribe, recentEvents: ring.query });
  const control = await startControlServer({
    socket: config.socket,
    control: daemonControl,
    onError: (error) => logEvent(ctx.logger, 'daemon.error', { message: error.message, path: config.socket }),
    onDropped: (reason) => logEvent(ctx.logger, 'control.dropped', { reason }),
  });
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
  await removeStaleTempFiles(config.stateFile);
  const http = await serveHttp(ctx, daemonControl, metrics.metrics);
  if (!http.ok) {
    await Promise.all([control.server.close(), metrics.close()]);
    return http;
  }
  const loaded = await loadState(config.stateFile, new Date());
  // Before any job loads, so no fire can start a run beside a dead daemon's still-running one.
  const orphans = await stopOrphans(ctx, loaded);
  restoreState(ctx, loaded, orphans);
  recordOrphans(ctx, loaded, orphans);
  const loader = createJobFileLoader(ctx);
  const watching = watchJobsDir({
    dir: config.jobsDir,
    onEvent: (event) => loader.onEvent(event),
    onError: (error) => logEvent(ctx.logger, 'daemon.error', { message: error.message, path: config.jobsDir }),
    onLost: (reason) => logEvent(ctx.logger, 'watch.lost', { path: config.jobsDir, reason }),
    onRestored: () => {
      logEvent(ctx.logger, 'watch.restored', { path: config.jobsDir });
      void loader.rescan();
    },
    refuse: (dir) => untrustedReason(dir, config, 'directory'),
  });
  // Handlers go in once the state is restored (a save before would lose it) and before the
  // watcher's first scan and the jobs load, which take seconds for thousands of files:
  // a signal at any point from here on is a clean stop.
  const stopped = handleSignals(ctx, {
    closeWatcher: async () => (await watching).close(),
    closeServer: async () => {
      await control.server.close();
      await metrics.close();
      await http.close();
      await ctx.cluster?.close();
    },
    reopenLogs: () => log.reopen(),
    flushLogs: () => log.flush(),
  });
  held.release();
  await watching;
  await loader.loadAll();
  // A signal during the load stops the daemon; a start logged after that would be a lie.
  if (ctx.stopping) return { ok: true, stopped };
  reportAfterProblems(ctx);
  logEvent(ctx.logger, 'daemon.start', {
    pid: process.pid, version, jobsDir: config.jobsDir, stateFile: config.stateFile, socket: config.socket, metrics: metrics.address ?? (metricsFoldedIntoHttp(config) ? http.address : null), http: http.address,
    jobs: activeJobs(ctx.registry).length, invalid: new Set(invalidFiles(ctx.registry).map((p) => p.file)).size,
  });
  resumeInterrupted(ctx);
  ctx.store.saveSoon();
  return { ok: true, stopped };
}

// The socket is created and removed at that path: it must never be a file jobd keeps there.
function socketClash(config: DaemonConfig): string | null {
  const files = [['--state-file', config.stateFile], ['--log-file', config.logFile], ['--followup-log', config.followUpLog]] as const;
  const same = files.find(([, file]) => file === config.socket);
  return same ? `${config.socket}: --socket is the same path as ${same[0]}; give the socket a path of its own` : null;
}

async function serveMetrics(
  ctx: DaemonContext, control: DaemonControl,
): Promise<{ ok: true; close: () => Promise<void>; address: string | null; metrics: Metrics | null } | { ok: false; message: string }> {
  if (!ctx.config.metrics) return { ok: true, close: async () => undefined, address: null, metrics: null };
  // Loaded only when asked for: prom-client adds megabytes to every daemon otherwise.
  const [{ createMetrics }, { startMetricsServer }] = await Promise.all([
    import('../metrics/metrics.js'),
    import('../metrics/metrics-server.js'),
  ]);
  const metrics = createMetrics(() => control.status());
  control.subscribe(metrics.observe);
  if (metricsFoldedIntoHttp(ctx.config)) return { ok: true, close: async () => undefined, address: null, metrics };
  const server = await startMetricsServer({
    ...ctx.config.metrics, metrics, healthy: () => !ctx.stopping,
    onError: (error) => logEvent(ctx.logger, 'daemon.error', { message: error.message, path: `--metrics ${ctx.config.metrics!.host}` }),
  });
  if (!server.ok) return server;
  return { ok: true, close: server.close, address: `${ctx.config.metrics.host}:${server.port}`, metrics };
}

// `after` spans files, so it can only be checked once all of them are loaded.
function reportAfterProblems(ctx: DaemonContext): void {
  const jobs = activeJobs(ctx.registry);
  const idOfFile = new Map(jobs.map((job) => [job.file, job.id]));
  for (const problem of afterProblems(jobs)) {
    const keeping = idOfFile.get(problem.file) ?? null;
    const { file, path, message } = problem;
    logEvent(ctx.logger, 'job.invalid', { file, path, message, problems: [{ path, message }], keeping });
  }
}

function createContext(config: DaemonConfig, version: string, logger: DaemonContext['logger']): DaemonContext {
  const ctx = { config, version, instance: instanceId(config.stateFile), startedAt: new Date(), logger, registry: createRegistry(), records: new Map(), running: new Map(), checkpoints: createCheckpointStore(config.stateFile), launchWatchers: new WeakMap(), cluster: null, stopping: false, loading: true } as
    Omit<DaemonContext, 'scheduler' | 'store' | 'spawner'> as DaemonContext;
  ctx.spawner = createSpawnerProcess((message) => logEvent(logger, 'daemon.error', { message }));
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
    missed: (job, fires) => logMissedFires(ctx, job, fires),
  });
  return ctx;
}
