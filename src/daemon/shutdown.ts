import { logEvent } from '../log/events.js';
import type { DaemonContext } from './context.js';
import { checkpointsSettled } from './checkpoint-runs.js';
import { reportStraySignals } from './stray-signals.js';

/** What shutdown closes besides the runs. */
export interface ShutdownHooks {
  closeWatcher(): Promise<void>;
  closeServer(): Promise<void>;
  reopenLogs(): void;
  flushLogs(): void;
}

/**
 * SIGINT/SIGTERM (SPEC §9): stop firing and watching, give runs the grace
 * period, then stop their process groups, record them `interrupted`, save,
 * and resolve. A second signal skips the wait. SIGQUIT stops the same way: its default
 * (a core dump) would leave the runs unsupervised. SIGHUP reopens the log file, also when
 * it is a terminal's hangup: like nohup, closing the terminal does not stop jobd.
 * Stray signals (SIGUSR1, SIGUSR2, ...) are logged as `daemon.signal` and ignored.
 */
export function handleSignals(ctx: DaemonContext, hooks: ShutdownHooks): Promise<void> {
  let hurry: () => void = () => undefined;
  let hurried = false;
  return new Promise<void>((done) => {
    const onStop = (signal: NodeJS.Signals): void => {
      if (ctx.stopping) {
        hurried = true;
        hurry();
        return;
      }
      void shutdown(ctx, hooks, signal, (fn) => (hurry = fn), () => hurried).then(done);
    };
    process.on('SIGINT', onStop);
    process.on('SIGTERM', onStop);
    process.on('SIGQUIT', onStop);
    process.on('SIGHUP', () => {
      hooks.reopenLogs();
      logEvent(ctx.logger, 'log.reopened', { file: ctx.config.logFile });
    });
    reportStraySignals((signal, count) => logEvent(ctx.logger, 'daemon.signal', { signal, action: 'ignored', count }));
  });
}

async function shutdown(
  ctx: DaemonContext,
  hooks: ShutdownHooks,
  signal: NodeJS.Signals,
  onHurry: (fn: () => void) => void,
  hurried: () => boolean,
): Promise<void> {
  ctx.stopping = true;
  ctx.scheduler.stop();
  await hooks.closeWatcher();
  const hurry = new Promise<void>((resolve) => onHurry(resolve));
  const grace = new Promise<void>((resolve) => setTimeout(resolve, ctx.config.shutdownGraceMs).unref());
  if (!hurried()) await Promise.race([allRunsEnded(ctx), grace, hurry]);
  const left = [...ctx.running.values()];
  for (const active of left) active.handle?.stop('interrupted');
  if (hurried()) for (const active of left) active.handle?.kill();
  else onHurry(() => left.forEach((active) => active.handle?.kill()));
  await allRunsEnded(ctx);
  await checkpointsSettled(ctx);
  await ctx.store.saveNow();
  await hooks.closeServer();
  logEvent(ctx.logger, 'daemon.stop', { signal, interrupted: left.length });
  hooks.flushLogs();
}

function allRunsEnded(ctx: DaemonContext): Promise<unknown> {
  return Promise.all([...ctx.running.values()].map((active) => active.handle?.result));
}
