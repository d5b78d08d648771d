import type { ChildProcess } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { execa, type ResultPromise } from 'execa';
import { describeSpawnError } from './command-words.js';
import type { SpawnInput } from './spawner.js';
import { errorMessage } from '../format/error-message.js';

// Own process group (so the whole tree can be signalled), no kill on our exit (a restart marks the
// run interrupted instead), output read as it comes rather than buffered, failures as values.
// Stopping is group-stopper's work, so execa's own kill timer is not set up on every spawn.
const SPAWN_OPTIONS = {
  detached: true,
  cleanup: false,
  forceKillAfterDelay: false,
  stdin: 'ignore',
  buffer: false,
  reject: false,
  extendEnv: false,
} as const;

// jobd's own environment, read once: every read of process.env goes through the C++
// environment, and copying it on each spawn (as execa's extendEnv does) cost a fifth of a
// millisecond per run. jobd never changes its environment after start.
const DAEMON_ENV: Readonly<Record<string, string | undefined>> = { ...process.env };

type SpawnOptions = typeof SPAWN_OPTIONS & { cwd: string; env: Record<string, string | undefined> };

/** A running command: a child process that is also a promise of its execa result. */
export type SpawnedCommand = ResultPromise<SpawnOptions>;

/** What spawnCommand throws when the command could not start; `reason` says why once Node has told. */
export type StartFailure = Error & { reason: Promise<string> };

/** Longest wait for Node's 'error' on a child that could not start; it comes one tick after the spawn. */
const REASON_WAIT_MS = 1_000;

// The child that node:child_process creates during the execa call now running, if any.
let spawning: { child: ChildProcess | null } | null = null;
subscribe('child_process', (message) => {
  if (spawning) spawning.child = (message as { process: ChildProcess }).process;
});

/** Starts a command in its own process group; a shell string sees `args` as `$1…$n`. Throws on an empty argv, or a StartFailure. */
export function spawnCommand(input: SpawnInput): SpawnedCommand {
  const options: SpawnOptions = { ...SPAWN_OPTIONS, cwd: input.cwd, env: { ...DAEMON_ENV, ...input.env } };
  if ('shell' in input.command) {
    return execaCaught('/bin/sh', ['-c', input.command.shell, input.argv0 ?? 'sh', ...input.args], options);
  }
  const [file, ...rest] = input.command.argv;
  if (file === undefined || file === '') throw new Error('command is empty: expected at least a program name');
  return execaCaught(file, [...rest, ...input.args], options);
}

/**
 * execa, with the one start failure it does not handle turned into a StartFailure:
 * when Node cannot even make the child's pipes (EMFILE, ENFILE) the child has no stdio,
 * execa throws a TypeError over it, and Node's 'error' on that child, a tick later,
 * would have no listener and end the daemon.
 */
function execaCaught(file: string, args: string[], options: SpawnOptions): SpawnedCommand {
  const watch: { child: ChildProcess | null } = { child: null };
  spawning = watch;
  try {
    return execa(file, args, options);
  } catch (error) {
    const { child } = watch;
    if (child === null || child.pid !== undefined) throw error;
    throw Object.assign(new Error(`could not start ${file}`), { reason: spawnErrorOf(child, file) });
  } finally {
    spawning = null;
  }
}

function spawnErrorOf(child: ChildProcess, file: string): Promise<string> {
  return new Promise((resolve) => {
    const late = setTimeout(() => resolve(`could not start ${file}: no reason given`), REASON_WAIT_MS);
    late.unref();
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(late);
      resolve(describeSpawnError({ code: error.code, file, message: error.message }));
    });
  });
}

/** Why a command that spawnCommand threw for did not start, in words. */
export async function startProblem(error: unknown, file: string): Promise<string> {
  const reason = (error as Partial<StartFailure>).reason;
  if (reason !== undefined) return reason;
  return `could not start ${file}: ${errorMessage(error)}`;
}
