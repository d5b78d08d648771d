import { Command, CommanderError } from 'commander';
import { dbCommand } from './db.js';
import { withExamples } from './help.js';
import { importCommand } from './import.js';
import { initCommand } from './init.js';
import { jobActionCommands } from './job-actions.js';
import { logsCommand } from './logs.js';
import { nextCommand } from './next.js';
import { runCommand } from './run.js';
import { schemaCommand } from './schema.js';
import { startCommand } from './start.js';
import { statusCommand } from './status.js';
import { validateCommand } from './validate.js';
import { VERSION } from './version.js';
import { errorMessage } from '../format/error-message.js';


/** Runs the CLI; the only place that exits the process. Exit codes: 0 ok, 1 failure, 2 usage. */
export function main(argv: string[]): void {
  let exitCode = 0;
  const done = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('jobd')
    .description('Runs commands on schedules; one JSON file per job in a watched directory.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  const commands = [
    startCommand(done), validateCommand(done), nextCommand(done), schemaCommand(done), initCommand(done),
    statusCommand(done), runCommand(done), ...jobActionCommands(done), logsCommand(done), dbCommand(done), importCommand(done),
  ];
  for (const command of commands) program.addCommand(withExamples(command).exitOverride());
  withExamples(program);
  program.parseAsync(argv).then(
    () => exitWhenFlushed(exitCode),
    (error: unknown) => exitWhenFlushed(exitCodeOf(error)),
  );
}

/**
 * Exits once stdout and stderr have handed everything written to them to the
 * system: a pipe to a slow reader (`| jq`, `| wc -l`) still gets every line.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let pending = 2;
  for (const stream of [process.stdout, process.stderr]) {
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      pending -= 1;
      if (pending === 0) process.exit(code);
    };
    // A reader that went away (EPIPE) takes nothing more; the exit code stays what the command decided.
    stream.on('error', settle);
    stream.write('', settle);
  }
}

function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    const quiet = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
    return quiet.includes(error.code) ? 0 : 2;
  }
  process.stderr.write(`jobd: ${errorMessage(error)}\n`);
  return 1;
}
