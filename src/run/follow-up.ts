import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command, FollowUpRecord, HookEnd, HookName, Run, RunObserver } from '../types.js';
import { createOutputCapture, type OutputCapture } from './capture-output.js';
import { setDeadlineTimer } from './clock.js';
import { killProcessGroup } from './kill-process-group.js';
import { commandFile, commandText, describeSpawnError, spawnCommand, startProblem, type SpawnedCommand } from './spawn-command.js';

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
  void runHookCommand(input, facts.observer).then((outcome) => {
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
export async function runHookCommand(input: OnTimeoutInput, observer: HookObserver = {}): Promise<OnTimeoutOutcome> {
  const startedAt = performance.now();
  let dropped = 0;
  const capture = createOutputCapture({
    maxBytes: 0,
    onLine: (line) => observer.onHookOutput?.(input.hook, line),
    onDropped: (counts) => (dropped += counts.stdout + counts.stderr),
  });
  const { outcome, exitCode, signal } = await superviseHook(input, capture);
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

async function superviseHook(input: OnTimeoutInput, capture: OutputCapture): Promise<HookEnding> {
  let subprocess: SpawnedCommand;
  try {
    subprocess = spawnCommand(input);
  } catch (error) {
    return failed(`${input.hook} command: ${await startProblem(error, commandFile(input.command))}`);
  }
  subprocess.stdout.on('data', (chunk: Buffer) => capture.write('stdout', chunk));
  subprocess.stderr.on('data', (chunk: Buffer) => capture.write('stderr', chunk));
  const { pid } = subprocess;
  let cancelLimit = (): void => {};
  const overLimit = new Promise<'over'>((resolve) => (cancelLimit = setDeadlineTimer(input.limitMs, () => resolve('over'))));
  const first = await Promise.race([subprocess, overLimit]);
  cancelLimit();
  if (first === 'over') return { ...failed(await killOverLimit(subprocess, input)), signal: 'SIGKILL' };
  if (pid === undefined) {
    const file = commandFile(input.command);
    const words = describeSpawnError({ code: first.code, file, message: first.originalMessage ?? 'unknown error' });
    return failed(`${input.hook} ${words}`);
  }
  const signal = first.signal ?? null;
  if (signal !== null) return { ...failed(`${input.hook} command was killed by ${signal}`), signal };
  return { outcome: { ok: true, exitCode: first.exitCode ?? null }, exitCode: first.exitCode ?? null, signal: null };
}

function failed(message: string): HookEnding {
  return { outcome: { ok: false, message }, exitCode: null, signal: null };
}

async function killOverLimit(subprocess: SpawnedCommand, { hook, limitMs }: OnTimeoutInput): Promise<string> {
  const overrun = `${hook} command ran longer than ${limitMs} ms and was killed`;
  try {
    if (subprocess.pid !== undefined) killProcessGroup(subprocess.pid, 'SIGKILL');
  } catch (error) {
    return `${hook} command ran longer than ${limitMs} ms and could not be killed: ${(error as Error).message}`;
  }
  const late = await Promise.race([subprocess, sleep(AFTER_KILL_MS, 'gave up' as const, { ref: false })]);
  // A process that left the group may still hold the pipes; stop reading them so nothing waits on it.
  if (late === 'gave up') {
    subprocess.stdout.destroy();
    subprocess.stderr.destroy();
  }
  return overrun;
}
