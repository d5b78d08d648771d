import type { Command } from '../types.js';

/** What a spawner starts: the command, its extra arguments, where and with what environment. */
export interface SpawnInput {
  command: Command;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** `$0` of a shell command (the job id), so the shell's own error messages name the job. */
  argv0?: string;
}

export type OutputStream = 'stdout' | 'stderr';

/** A command's leader as last seen: still running while both are null. */
export interface LeaderExit {
  exitCode: number | null;
  signal: string | null;
}

/** How a started command ended, once its output closed. */
export interface CommandEnd extends LeaderExit {
  /** The command never had a process (command not found, no permission): the spawn error. */
  spawnError?: { code: string | undefined; message: string };
  /** Whoever watched the command went away first: nothing more will be heard of it, its group runs unwatched. */
  lost?: string;
}

/** A command that was started; `pid` is undefined when the spawn failed, and `ended` then says why. */
export interface StartedCommand {
  pid: number | undefined;
  ended: Promise<CommandEnd>;
  /** Stops reading the output (only processes that left the group still hold it) and tells the leader's exit as known. */
  abandon(): Promise<LeaderExit>;
}

/**
 * `maybeStarted`: the answer was lost with the process that would have given it, so the command
 * may be running unwatched; its run's processes are to be looked for by their marker and stopped.
 */
export type SpawnOutcome = { ok: true; command: StartedCommand } | { ok: false; reason: string; maybeStarted?: true };

/** Who hears of a command as it goes. */
export interface SpawnWatch {
  /** Once the command has a pid (undefined: its spawn failed), before any of its output and before `start` resolves. */
  onStarted?: (pid: number | undefined) => void;
  /** Its output, as it is read. */
  onOutput: (stream: OutputStream, chunk: Buffer) => void;
}

/** Starts commands in their own process groups. */
export interface Spawner {
  start(input: SpawnInput, watch: SpawnWatch): Promise<SpawnOutcome>;
}
