import type { Command } from '../types.js';

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
    case 'EMFILE':
      return 'cannot start: too many open files (EMFILE)';
    case 'ENFILE':
      return 'cannot start: too many open files in the system (ENFILE)';
    case 'EAGAIN':
      return 'cannot start: too many processes (EAGAIN)';
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
