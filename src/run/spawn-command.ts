import { execa, type ResultPromise } from 'execa';
import type { Command } from '../types.js';

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

/** What spawnCommand needs: the command, its extra arguments, where and with what environment. */
export interface SpawnInput {
  command: Command;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** `$0` of a shell command (the job id), so the shell's own error messages name the job. */
  argv0?: string;
}

/** Starts a command in its own process group; a shell string sees `args` as `$1…$n`. Throws on an empty argv. */
export function spawnCommand(input: SpawnInput): SpawnedCommand {
  const options: SpawnOptions = { ...SPAWN_OPTIONS, cwd: input.cwd, env: { ...DAEMON_ENV, ...input.env } };
  if ('shell' in input.command) {
    return execa('/bin/sh', ['-c', input.command.shell, input.argv0 ?? 'sh', ...input.args], options);
  }
  const [file, ...rest] = input.command.argv;
  if (file === undefined || file === '') throw new Error('command is empty: expected at least a program name');
  return execa(file, [...rest, ...input.args], options);
}

/** The command as one line for logs and the follow-up log: the shell script, or the quoted argv, then the args. */
export function commandText(command: Command, args: string[]): string {
  const head = 'shell' in command ? command.shell.replace(/\r?\n/g, '\\n') : command.argv.map(quoteWord).join(' ');
  return [head, ...args.map(quoteWord)].join(' ');
}

/** A spawn error in words a person can act on: `command not found: foo`. */
export function describeSpawnError(input: { code: string | undefined; file: string; message: string }): string {
  switch (input.code) {
    case 'ENOENT':
      return `command not found: ${input.file}`;
    case 'EACCES':
      return `permission denied: ${input.file}`;
    case 'ENOEXEC':
      return `not an executable: ${input.file}`;
    default:
      return `could not start ${input.file}: ${input.message}`;
  }
}

/** The program a command starts, as spawn errors should name it. */
export function commandFile(command: Command): string {
  return 'shell' in command ? '/bin/sh' : (command.argv[0] ?? '');
}

function quoteWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
