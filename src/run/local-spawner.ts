import { commandFile } from './command-words.js';
import { spawnCommand, startProblem, type SpawnedCommand } from './spawn-command.js';
import type { CommandEnd, SpawnInput, Spawner, SpawnWatch, StartedCommand } from './spawner.js';

/** A command started by this process, whose output reading can be held back. */
export interface LocalCommand extends StartedCommand {
  pauseOutput(paused: boolean): void;
}

export type LocalOutcome = { ok: true; command: LocalCommand } | { ok: false; reason: string };

/** Starts commands from this process's own thread, through execa. */
export const localSpawner: Spawner = { start: startLocal };

/** Starts a command here; a command that cannot start at all is a reason in words, never a throw. */
export async function startLocal(input: SpawnInput, watch: SpawnWatch): Promise<LocalOutcome> {
  let subprocess: SpawnedCommand;
  try {
    subprocess = spawnCommand(input);
  } catch (error) {
    return { ok: false, reason: await startProblem(error, commandFile(input.command)) };
  }
  const { stdout, stderr, pid } = subprocess;
  watch.onStarted?.(pid);
  stdout.on('data', (chunk: unknown) => watch.onOutput('stdout', toBuffer(chunk)));
  stderr.on('data', (chunk: unknown) => watch.onOutput('stderr', toBuffer(chunk)));
  const ended = subprocess.then((outcome): CommandEnd => {
    const exit = { exitCode: outcome.exitCode ?? null, signal: outcome.signal ?? null };
    if (pid !== undefined) return exit;
    return { ...exit, spawnError: { code: outcome.code, message: outcome.originalMessage ?? 'unknown error' } };
  });
  const command: LocalCommand = {
    pid,
    ended,
    abandon: async () => {
      stdout.destroy();
      stderr.destroy();
      return { exitCode: subprocess.exitCode, signal: subprocess.signalCode };
    },
    pauseOutput: (paused) => {
      for (const stream of [stdout, stderr]) {
        if (paused) stream.pause();
        else stream.resume();
      }
    },
  };
  return { ok: true, command };
}

function toBuffer(chunk: unknown): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
}
