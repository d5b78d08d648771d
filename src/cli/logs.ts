import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import { followEvents } from '../control/client.js';
import { prettyLine } from '../log/pretty.js';
import { socketPath, type LocationOptions } from './options.js';
import { withLocation } from './client-options.js';

interface LogsOptions extends LocationOptions {
  follow?: boolean;
  logFile?: string;
}

/** `jobd logs [id] [-f]`: the JSON log as readable lines, from `--log-file`, then live from the daemon. */
export function logsCommand(done: (code: number) => void): Command {
  return withLocation(
    new Command('logs')
      .description('pretty-print the JSON log (from --log-file), and follow the live daemon with -f')
      .argument('[id]', 'only this job')
      .option('-f, --follow', 'keep printing events as the daemon logs them')
      .addOption(new Option('--log-file <file>', 'the JSON log file the daemon writes').env('JOBD_LOG_FILE')),
  ).action(async (id: string | undefined, options: LogsOptions) => {
    const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
    const print = (event: Record<string, unknown>): void => {
      if (id === undefined || event.job === id) process.stdout.write(`${prettyLine(event, color)}\n`);
    };
    if (!options.logFile && !options.follow) {
      process.stderr.write('jobd: logs: give --log-file (or JOBD_LOG_FILE) to read past events, or -f to follow the daemon\n');
      return done(2);
    }
    if (options.logFile && !(await printFile(options.logFile, print))) return done(1);
    if (!options.follow) return done(0);
    const path = `/events${id === undefined ? '' : `?job=${encodeURIComponent(id)}`}`;
    const reply = await followEvents(socketPath(options, process.cwd()), path, print);
    if (!reply.ok) process.stderr.write(`jobd: ${reply.message}\n`);
    done(reply.ok ? 0 : 1);
  });
}

async function printFile(file: string, print: (event: Record<string, unknown>) => void): Promise<boolean> {
  const stream = createReadStream(file, 'utf8');
  const opened = await new Promise<string | null>((resolve) => {
    stream.once('open', () => resolve(null));
    stream.once('error', (error) => resolve(error.message));
  });
  if (opened !== null) {
    process.stderr.write(`jobd: ${file}: cannot read the log file: ${opened}\n`);
    return false;
  }
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    try {
      print(JSON.parse(line) as Record<string, unknown>);
    } catch {
      process.stdout.write(`${line}\n`);
    }
  }
  return true;
}
