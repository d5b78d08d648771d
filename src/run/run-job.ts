import type { Run, RunHandle, RunObserver, RunResult } from '../types.js';
import { createOutputCapture, type OutputCapture } from './capture-output.js';
import { elapsedMs, monotonicNow, setDeadlineTimer } from './clock.js';
import { recordTimeout } from './follow-up.js';
import { escapedProcesses, stopRunProcesses, type EscapedProcesses } from './escaped-processes.js';
import { createGroupStopper, type GroupStopper, type StopReason } from './group-stopper.js';
import { guardObserver } from './guard-observer.js';
import { cwdProblem, runEnv } from './prepare-run.js';
import { buildRunResult } from './run-result.js';
import { commandFile, describeSpawnError } from './command-words.js';
import type { LeaderExit, Spawner, StartedCommand } from './spawner.js';
import { errorMessage } from '../format/error-message.js';

/** How long output pipes may stay open once the group is gone: only a process that left the group holds them. */
const AFTER_GROUP_MS = 2_000;

/** Where run/ starts commands, reports facts and writes timeouts. */
export interface RunDeps {
  spawner: Spawner;
  followUpLog: string;
  observer: RunObserver;
  /** Work that must be done before the command starts (its checkpoint file made); it reports its own problems. */
  beforeSpawn?: () => Promise<void>;
}

/** One run while it lives: what it was asked, and what it has learned so far. */
interface RunContext {
  run: Run;
  spawner: Spawner;
  followUpLog: string;
  observer: RunObserver;
  beforeSpawn?: () => Promise<void>;
  env: Record<string, string>;
  problems: string[];
  stopper: GroupStopper | null;
  escaped: EscapedProcesses | null;
  /** A stop that found the group already gone but escaped processes still holding the output. */
  escapedStop: StopReason | null;
  /** A stop or kill that came before there was a process to signal. */
  earlyStop: StopReason | null;
  earlyKill: boolean;
  /** The command ended by itself: later stops change nothing. */
  ended: boolean;
  startedAt: Date;
  start: bigint;
}

/** Starts a run of a job; the result never rejects, and `stop`/`kill` stop the whole process group. */
export function runJob(run: Run, deps: RunDeps): RunHandle {
  const problems: string[] = [];
  const ctx: RunContext = {
    run,
    spawner: deps.spawner,
    followUpLog: deps.followUpLog,
    observer: guardObserver(deps.observer, (message) => problems.push(message)),
    ...(deps.beforeSpawn ? { beforeSpawn: deps.beforeSpawn } : {}),
    env: {},
    problems,
    stopper: null,
    escaped: null,
    escapedStop: null,
    earlyStop: null,
    earlyKill: false,
    ended: false,
    startedAt: new Date(),
    start: monotonicNow(),
  };
  const result = executeRun(ctx).catch((error: unknown) => internalFailure(ctx, error));
  return {
    result,
    stop: (status) => {
      if (ctx.ended) return;
      if (ctx.stopper) stopAll(ctx, status);
      else ctx.earlyStop ??= status;
    },
    kill: () => {
      if (ctx.ended) return;
      if (ctx.stopper) killAll(ctx, 'interrupted');
      else {
        ctx.earlyStop ??= 'interrupted';
        ctx.earlyKill = true;
      }
    },
  };
}

/** Stops the group and, beyond it, the run's processes that left it. */
function stopAll(ctx: RunContext, reason: StopReason): void {
  ctx.stopper?.stop(reason);
  ctx.escaped?.stop();
  noteEscapedStop(ctx, reason);
}

function killAll(ctx: RunContext, reason: StopReason): void {
  ctx.stopper?.kill(reason);
  ctx.escaped?.kill();
  noteEscapedStop(ctx, reason);
}

// The leader and its group may be gone while a process that left the group keeps the run
// going by holding its output: the stop then reached only that process, and is still the run's.
function noteEscapedStop(ctx: RunContext, reason: StopReason): void {
  if (ctx.stopper?.reason() === null && (ctx.escaped?.count() ?? 0) > 0) ctx.escapedStop ??= reason;
}

async function executeRun(ctx: RunContext): Promise<RunResult> {
  const { job } = ctx.run;
  ctx.env = runEnv(ctx.run);
  await ctx.beforeSpawn?.();
  if (ctx.earlyStop !== null) return notStarted(ctx, ctx.earlyStop);
  const capture = createOutputCapture({ maxBytes: job.maxOutput, onLine: ctx.observer.onOutput, onDropped: ctx.observer.onOutputDropped });
  ctx.startedAt = new Date();
  ctx.start = monotonicNow();
  const input = { command: job.command, args: job.args, cwd: job.cwd, env: ctx.env, argv0: job.id };
  const started = await ctx.spawner.start(input, {
    onStarted: (pid) => ctx.observer.onStart(pid ?? null),
    onOutput: (stream, chunk) => capture.write(stream, chunk),
  });
  if (!started.ok) {
    ctx.problems.push(started.reason);
    if (started.maybeStarted) return lostStart(ctx);
    return notStarted(ctx, 'failed');
  }
  const { command } = started;
  if (command.pid === undefined) return spawnFailed(ctx, command, capture);
  return superviseRun(ctx, command, command.pid, capture);
}

/** Watches a started command to its end, stopping its group at the timeout, then writes the follow-up. */
async function superviseRun(ctx: RunContext, command: StartedCommand, pid: number, capture: OutputCapture): Promise<RunResult> {
  const { job } = ctx.run;
  const stopper = createGroupStopper({ pid, killGraceMs: job.killGraceMs, onProblem: (m) => ctx.problems.push(m) });
  const escaped = escapedProcesses({ instance: ctx.run.instance, run: ctx.run.id, pgid: pid, graceMs: job.killGraceMs });
  ctx.stopper = stopper;
  ctx.escaped = escaped;
  // A stop that came while the command was being started reaches it now.
  if (ctx.earlyStop !== null) (ctx.earlyKill ? killAll : stopAll)(ctx, ctx.earlyStop);
  const cancelTimeout = job.timeoutMs === null ? () => {} : setDeadlineTimer(job.timeoutMs, () => stopAll(ctx, 'timeout'));
  const exit = await waitForEnd(ctx, command, stopper);
  const durationMs = elapsedMs(ctx.start);
  cancelTimeout();
  stopper.dispose();
  // No child or grandchild outlives the run: what is left once the command ended is stopped too.
  if (stopper.reason() === null) escaped.stopLeftovers();
  await escaped.settled();
  capture.end();
  const reason = stopper.reason() ?? ctx.escapedStop;
  const status = reason ?? (exit.exitCode === 0 && exit.signal === null ? 'ok' : 'failed');
  const result = buildRunResult(ctx.run, { ...exit, status, pid, durationMs, escaped: escaped.count(), ...endFacts(ctx, capture) });
  if (reason === 'timeout') {
    const facts = { pid, elapsedMs: durationMs, signal: stopper.lastSignal() ?? 'SIGTERM' };
    await recordTimeout({ run: ctx.run, env: ctx.env, followUpLog: ctx.followUpLog, observer: ctx.observer, spawner: ctx.spawner, ...facts });
  }
  return result;
}

/** Resolves once the leader exited and its output closed, and, after a stop, once the group is gone. */
async function waitForEnd(ctx: RunContext, command: StartedCommand, stopper: GroupStopper): Promise<LeaderExit> {
  let abandonTimer: NodeJS.Timeout | undefined;
  let waiting = true;
  const abandoned = new Promise<'abandoned'>((resolve) => {
    // Escaped processes may hold the pipes too: the wait starts once they are gone as well.
    void stopper.settled.then(() => ctx.escaped?.settled()).then(() => {
      if (waiting) abandonTimer = setTimeout(resolve, AFTER_GROUP_MS, 'abandoned');
    });
  });
  const outcome = await Promise.race([command.ended, abandoned]);
  if (outcome === 'abandoned') {
    ctx.problems.push('output still open after the process group was stopped; stopped reading it');
    return command.abandon();
  }
  if (outcome.lost !== undefined) {
    // Nothing reports this command's end any more: its group is stopped rather than left unwatched.
    ctx.problems.push(`${outcome.lost}; stopped its process group`);
    killAll(ctx, 'interrupted');
    await stopper.settled;
    waiting = false;
    clearTimeout(abandonTimer);
    return { exitCode: null, signal: null };
  }
  if (stopper.reason() === null) ctx.ended = true;
  else await stopper.settled;
  waiting = false;
  clearTimeout(abandonTimer);
  return { exitCode: outcome.exitCode ?? null, signal: outcome.signal ?? null };
}

async function spawnFailed(ctx: RunContext, command: StartedCommand, capture: OutputCapture): Promise<RunResult> {
  const end = await command.ended;
  capture.end();
  const file = commandFile(ctx.run.job.command);
  // A missing cwd fails the spawn with the same ENOENT as a missing command; the cwd is
  // looked at only now, so a run that starts pays for no extra file-system round trip.
  const cwd = await cwdProblem(ctx.run.job.cwd);
  const spawnError = end.spawnError ?? { code: undefined, message: end.lost ?? 'unknown error' };
  ctx.problems.unshift(cwd ?? describeSpawnError({ ...spawnError, file }));
  const ending = { status: 'failed' as const, pid: null, exitCode: null, signal: null, durationMs: elapsedMs(ctx.start) };
  return buildRunResult(ctx.run, { ...ending, ...endFacts(ctx, capture) });
}

/** A start nobody answered may have happened after all: what it started is stopped, and jobd, not the command, failed. */
async function lostStart(ctx: RunContext): Promise<RunResult> {
  const found = await stopRunProcesses({ instance: ctx.run.instance, run: ctx.run.id, graceMs: ctx.run.job.killGraceMs });
  if (found > 0) ctx.problems.push(`stopped ${found} process(es) it had started unwatched`);
  return notStarted(ctx, 'interrupted');
}

/** The result of a run that never had a process: stopped before it started, or an empty command. */
function notStarted(ctx: RunContext, status: RunResult['status']): RunResult {
  ctx.observer.onStart(null);
  const ending = { status, pid: null, exitCode: null, signal: null, durationMs: elapsedMs(ctx.start) };
  return buildRunResult(ctx.run, { ...ending, ...endFacts(ctx, null) });
}

function internalFailure(ctx: RunContext, error: unknown): RunResult {
  // A command we can no longer supervise must not keep running unseen.
  killAll(ctx, 'interrupted');
  ctx.stopper?.dispose();
  ctx.problems.push(`internal error: ${errorMessage(error)}`);
  const ending = { status: 'failed' as const, pid: null, exitCode: null, signal: null, durationMs: elapsedMs(ctx.start) };
  return buildRunResult(ctx.run, { ...ending, ...endFacts(ctx, null) });
}

function endFacts(ctx: RunContext, capture: OutputCapture | null) {
  const tails = capture?.tails() ?? { stdout: '', stderr: '' };
  return { startedAt: ctx.startedAt, endedAt: new Date(), problems: ctx.problems, tails };
}
