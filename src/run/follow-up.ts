import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command, FollowUpRecord, Run, RunObserver } from '../types.js';
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
  hook: 'onTimeout' | 'onSuccess' | 'onFailure';
  command: Command;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  limitMs: number;
  /** `$0` of a shell command. */
  argv0?: string;
}

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
    JOBD_ELAPSED_MS: String(facts.elapsedMs),
    JOBD_FOLLOWUP_LOG: facts.followUpLog,
  };
  const input: OnTimeoutInput = { hook: 'onTimeout', command: job.onTimeout, args: [], cwd: job.cwd, env, limitMs: HOOK_LIMIT_MS, argv0: job.id };
  void runHookCommand(input).then((outcome) => {
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

/** Runs a job's follow-up command in its own group, killing the group at `limitMs`; never throws. */
export async function runHookCommand(input: OnTimeoutInput): Promise<OnTimeoutOutcome> {
  let subprocess: SpawnedCommand;
  try {
    subprocess = spawnCommand(input);
  } catch (error) {
    return { ok: false, message: `${input.hook} command: ${await startProblem(error, commandFile(input.command))}` };
  }
  const { pid } = subprocess;
  let cancelLimit = (): void => {};
  const overLimit = new Promise<'over'>((resolve) => (cancelLimit = setDeadlineTimer(input.limitMs, () => resolve('over'))));
  const first = await Promise.race([subprocess, overLimit]);
  cancelLimit();
  if (first !== 'over') {
    if (pid === undefined) {
      const file = commandFile(input.command);
      const words = describeSpawnError({ code: first.code, file, message: first.originalMessage ?? 'unknown error' });
      return { ok: false, message: `${input.hook} ${words}` };
    }
    if (first.signal !== undefined) return { ok: false, message: `${input.hook} command was killed by ${first.signal}` };
    return { ok: true, exitCode: first.exitCode ?? null };
  }
  return { ok: false, message: await killOverLimit(subprocess, input) };
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
