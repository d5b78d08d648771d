import { Command } from 'commander';
import type { LocationOptions } from './options.js';
import { socketPath } from './options.js';
import { ask, withLocation } from './client-options.js';
import { exitCodeOf, resultLine, runAndWait } from './run-wait.js';

/** `jobd run <id> [--wait]`: a manual run; with --wait its output as it comes, then its end, and the exit code mirrors it. */
export function runCommand(done: (code: number) => void): Command {
  return withLocation(
    new Command('run')
      .description('trigger a run now')
      .argument('<id>', 'job id')
      .option('--wait', 'print the run\'s output as it comes and wait for its end (the last attempt, with retries); exit with its status'),
  ).action(async (id: string, options: LocationOptions & { wait?: boolean }) => {
    if (options.wait) {
      const waited = await runAndWait(socketPath(options, process.cwd()), id);
      if (!waited.ok) {
        process.stderr.write(`jobd: ${waited.message}\n`);
        return done(1);
      }
      process.stdout.write(`${resultLine(waited.end)}\n`);
      return done(exitCodeOf(waited.end));
    }
    const body = await ask(options, 'POST', `/jobs/${encodeURIComponent(id)}/run`);
    if (body === null) return done(1);
    const run = (body as { run: string | null }).run;
    process.stdout.write(run ? `started ${run}\n` : `queued a run of ${id}\n`);
    done(0);
  });
}
