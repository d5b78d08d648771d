import { writeSync } from 'node:fs';
import { shortSpan } from '../format/time-span.js';
import { logEvent } from '../log/events.js';
import type { DaemonContext } from './context.js';
import { reportStraySignals } from './stray-signals.js';

/**
 * A repeat of the first stop signal this soon is the same key press, delivered twice: a terminal's
 * Ctrl-C reaches the whole process group, and `npm start` forwards it to jobd once more.
 */
const SAME_PRESS_MS = 300;

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
  let first: { signal: NodeJS.Signals; at: number } | null = null;
  return new Promise<void>((done) => {
    const onStop = (signal: NodeJS.Signals): void => {
      const now = performance.now();
      if (first !== null && first.signal === signal && now - first.at < SAME_PRESS_MS) return;
      first ??= { signal, at: now };
      if (ctx.stopping) {
        if (!hurried && ctx.running.size > 0) tell('stopping runs now\n');
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
  announceStop(ctx, signal);
  await hooks.closeWatcher();
  const hurry = new Promise<void>((resolve) => onHurry(resolve));
  const grace = new Promise<void>((resolve) => setTimeout(resolve, ctx.config.shutdownGraceMs).unref());
  if (!hurried()) await Promise.race([allRunsEnded(ctx), grace, hurry]);
  const left = [...ctx.running.values()];
  for (const active of left) active.handle?.stop('interrupted');
  if (hurried()) for (const active of left) active.handle?.kill();
  else onHurry(() => left.forEach((active) => active.handle?.kill()));
  await allRunsEnded(ctx);
  ctx.spawner.close();
  await ctx.store.saveNow();
  await hooks.closeServer();
  logEvent(ctx.logger, 'daemon.stop', { signal, interrupted: left.length });
  hooks.flushLogs();
}

// Said at once, on stderr as well as in the log: whoever pressed Ctrl-C is looking at the terminal, not the log.
function announceStop(ctx: DaemonContext, signal: NodeJS.Signals): void {
  const runs = [...ctx.running.keys()];
  const graceMs = ctx.config.shutdownGraceMs;
  logEvent(ctx.logger, 'daemon.stopping', { signal, runs, graceMs });
  if (runs.length === 0) return;
  const what = runs.length === 1 ? '1 run' : `${runs.length} runs`;
  const it = runs.length === 1 ? 'it' : 'them';
  // A terminal line, so a few names: with a high --max-concurrency the whole list is in the event only.
  const named = runs.length > 10 ? `${runs.slice(0, 10).join(', ')} and ${runs.length - 10} more` : runs.join(', ');
  tell(`stopping: waiting up to ${shortSpan(graceMs)} for ${what} (${named}); Ctrl-C again to stop ${it} now\n`);
}

// At once, before the loop turns again, as the log guard's own notices are; a closed stderr loses only this line.
function tell(line: string): void {
  try {
    writeSync(2, line);
  } catch {
    // stderr is gone: the log's daemon.stopping says the same.
  }
}

function allRunsEnded(ctx: DaemonContext): Promise<unknown> {
  return Promise.all([...ctx.running.values()].map((active) => active.handle?.result));
}
