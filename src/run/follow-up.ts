import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command, FollowUpRecord, HookEnd, HookName, Run, RunObserver } from '../types.js';
import { createOutputCapture, type OutputCapture } from './capture-output.js';
import { setDeadlineTimer } from './clock.js';
import { killProcessGroup } from './kill-process-group.js';
import { commandFile, commandText, describeSpawnError } from './command-words.js';
import type { Spawner, StartedCommand } from './spawner.js';

/** Hard limit of a job's onTimeout command. */
export const HOOK_LIMIT_MS = 60_000;
/** How long an onTimeout command's output may stay open after its group was killed. */
const AFTER_KILL_MS = 2_000;

export type FollowUpOutcome = { ok: true } | { ok: false; message: string };

export type OnTimeoutOutcome = { ok: true; exitCode: number | null } | { ok: false; message: string };

/** What runHookCommand needs: a follow-up command (onTimeout, onSuccess, onFailure), where and with what environment, and its hard limit. */
export interface OnTimeoutInput {
  /** The job field it comes from, for messages. */
  hook: HookName;
  command: Command;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  limitMs: number;
  /** `$0` of a shell command. */
  argv0?: string;
}

/** Where a hook command's lines and end go; guarded by the caller: its callbacks never throw. */
export type HookObserver = Pick<RunObserver, 'onHookOutput' | 'onHookEnd'>;

/** The facts of one timed-out run, and where to report them. */
export interface TimeoutFacts {
  run: Run;
  /** The run's environment, which the onTimeout command extends. */
  env: Record<string, string>;
  followUpLog: string;
  /** Guarded by the caller: its callbacks never throw. */
  observer: RunObserver;
  spawner: Spawner;
  pid: number | null;
  elapsedMs: number;
  /** The last signal sent to the group. */
  signal: string;
}

/** Reports a timeout to the observer and the follow-up log, then starts the job's onTimeout command without waiting for it. */
export async function recordTimeout(facts: TimeoutFacts): Promise<void> {
  const { job } = facts.run;
  const record: FollowUpRecord = {
    time: new Date().toISOString(),
    job: job.id,
    run: facts.run.id,
    reason: 'timeout',
    timeoutMs: job.timeoutMs ?? 0,
    elapsedMs: facts.elapsedMs,
    pid: facts.pid,
    command: commandText(job.command, job.args),
    signal: facts.signal,
  };
  facts.observer.onTimeout(record);
  const written = await appendFollowUp(facts.followUpLog, record);
  if (!written.ok) facts.observer.onFollowUpError({ path: facts.followUpLog, message: written.message });
  if (job.onTimeout === null) return;
  const env = {
    ...facts.env,
    JOBD_REASON: 'timeout',
    JOBD_ELAPSED_MS: String(Math.round(facts.elapsedMs)),
    JOBD_FOLLOWUP_LOG: facts.followUpLog,
  };
  const input: OnTimeoutInput = { hook: 'onTimeout', command: job.onTimeout, args: [], cwd: job.cwd, env, limitMs: HOOK_LIMIT_MS, argv0: job.id };
  void runHookCommand(facts.spawner, input, facts.observer).then((outcome) => {
    if (!outcome.ok) facts.observer.onFollowUpError({ message: outcome.message });
    else if (outcome.exitCode !== 0) {
      facts.observer.onFollowUpError({ message: `onTimeout command exited with code ${outcome.exitCode}` });
    }
  });
}

/** Appends one JSON line to the follow-up log, creating its directories; never throws. */
export async function appendFollowUp(path: string, record: FollowUpRecord): Promise<FollowUpOutcome> {
  try {
    await mkdir(dirname(path), { recursive: true });
    // One append of one line: with O_APPEND, concurrent timeouts never interleave their lines.
    await appendFile(path, `${JSON.stringify(record)}\n`, 'utf8');
    return { ok: true };
  } catch (error) {
    return { ok: false, message: `cannot write the follow-up log: ${(error as Error).message}` };
  }
}

/** Runs a job's follow-up command in its own group, killing the group at `limitMs`; its lines and end go to `observer`; never throws. */
export async function runHookCommand(spawner: Spawner, input: OnTimeoutInput, observer: HookObserver = {}): Promise<OnTimeoutOutcome> {
  const startedAt = performance.now();
  let dropped = 0;
  const capture = createOutputCapture({
    maxBytes: 0,
    onLine: (line) => observer.onHookOutput?.(input.hook, line),
    onDropped: (counts) => (dropped += counts.stdout + counts.stderr),
  });
  const { outcome, exitCode, signal } = await superviseHook(spawner, input, capture);
  capture.end();
  const end: HookEnd = { exitCode, signal, durationMs: Math.round(performance.now() - startedAt) };
  if (!outcome.ok) end.error = outcome.message;
  if (dropped > 0) end.dropped = dropped;
  observer.onHookEnd?.(input.hook, end);
  return outcome;
}

interface HookEnding {
  outcome: OnTimeoutOutcome;
  exitCode: number | null;
  signal: string | null;
}

async function superviseHook(spawner: Spawner, input: OnTimeoutInput, capture: OutputCapture): Promise<HookEnding> {
  const started = await spawner.start(input, { onOutput: (stream, chunk) => capture.write(stream, chunk) });
  if (!started.ok) return failed(`${input.hook} command: ${started.reason}`);
  const { command } = started;
  let cancelLimit = (): void => {};
  const overLimit = new Promise<'over'>((resolve) => (cancelLimit = setDeadlineTimer(input.limitMs, () => resolve('over'))));
  const first = await Promise.race([command.ended, overLimit]);
  cancelLimit();
  if (first === 'over') return { ...failed(await killOverLimit(command, input)), signal: 'SIGKILL' };
  if (command.pid === undefined) {
    const file = commandFile(input.command);
    const words = describeSpawnError({ ...(first.spawnError ?? { code: undefined, message: first.lost ?? 'unknown error' }), file });
    return failed(`${input.hook} ${words}`);
  }
  if (first.lost !== undefined) {
    const unkillable = killGroup(command.pid);
    return failed(`${input.hook} command: ${first.lost}; ${unkillable ?? 'killed its process group'}`);
  }
  const signal = first.signal ?? null;
  if (signal !== null) return { ...failed(`${input.hook} command was killed by ${signal}`), signal };
  return { outcome: { ok: true, exitCode: first.exitCode ?? null }, exitCode: first.exitCode ?? null, signal: null };
}

function failed(message: string): HookEnding {
  return { outcome: { ok: false, message }, exitCode: null, signal: null };
}

async function killOverLimit(command: StartedCommand, { hook, limitMs }: OnTimeoutInput): Promise<string> {
  const overrun = `${hook} command ran longer than ${limitMs} ms and was killed`;
  const unkillable = command.pid === undefined ? null : killGroup(command.pid);
  if (unkillable !== null) return `${hook} command ran longer than ${limitMs} ms and ${unkillable}`;
  const late = await Promise.race([command.ended, sleep(AFTER_KILL_MS, 'gave up' as const, { ref: false })]);
  // A process that left the group may still hold the pipes; stop reading them so nothing waits on it.
  if (late === 'gave up') await command.abandon();
  return overrun;
}

/** SIGKILL to a hook's group; what went wrong in words, or null. */
function killGroup(pid: number): string | null {
  try {
    killProcessGroup(pid, 'SIGKILL');
    return null;
  } catch (error) {
    return `could not be killed: ${(error as Error).message}`;
  }
}
