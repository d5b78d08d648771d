import { Command, Option } from 'commander';
import { callDaemon } from '../control/client.js';
import { parseEventsQuery } from '../control/events-query.js';
import type { EventQuery } from '../types.js';
import { printLogFile } from './logs-file.js';
import { eventPrinter } from './logs-print.js';
import { followDaemon, printKeptEvents, type EventsAsk } from './logs-socket.js';
import { socketPath, type LocationOptions } from './options.js';
import { withLocation } from './client-options.js';

interface LogsOptions extends LocationOptions {
  follow?: boolean;
  logFile?: string;
  lines?: string;
  since?: string;
  priority?: string;
}

/** Lines `-n` may ask of a log file; the daemon keeps fewer and says so. */
const MAX_FILE_LINES = 1_000_000;
/** Lines `-f` shows before following when `-n` is not given, as `tail -f` and `journalctl -f` do. */
const FOLLOW_LINES = 10;
const FLAG: Record<string, string> = { n: '-n', since: '--since', level: '-p' };

/** `jobd logs [id] [-n N] [--since T] [-p LEVEL] [-f]`: past events from the daemon (or `--log-file`), then live ones with -f. */
export function logsCommand(done: (code: number) => void): Command {
  return withLocation(
    new Command('logs')
      .description('print the recent events (kept by the daemon, or from --log-file); follow the live daemon with -f')
      .argument('[id]', 'only this job')
      .option('-n, --lines <n>', 'only the last n events (default: all kept; 10 with -f)')
      .option('--since <when>', 'only events since an instant (2026-08-01T18:00Z) or a span back from now (1h, 90s)')
      .option('-p, --priority <level>', 'only events at this level or above: trace, debug, info, warn, error, fatal')
      .option('-f, --follow', 'after the past events, keep printing events as the daemon logs them; reconnects when it restarts')
      .addOption(new Option('--log-file <file>', 'read past events from this JSON log file instead of the daemon').env('JOBD_LOG_FILE')),
  ).action(async (id: string | undefined, options: LogsOptions) => {
    const checked = checkedAsk(id, options);
    if (typeof checked === 'string') {
      process.stderr.write(`jobd: logs: ${checked}\n`);
      return done(2);
    }
    const { ask, query } = checked;
    const socket = socketPath(options, process.cwd());
    const printer = eventPrinter();
    if (!options.logFile) return done(options.follow ? await followDaemon(socket, ask, printer) : await printKeptEvents(socket, ask, printer));
    const found = await printLogFile(options.logFile, query, printer);
    if (found === null) return done(1);
    if (!options.follow) return done(found === 0 && id !== undefined ? await unknownJob(socket, id, options.logFile) : 0);
    // The file gave the history; the daemon gives what came after its last line, then the live events.
    printer.replaying();
    done(await followDaemon(socket, { ...ask, n: null, since: printer.lastTime() ?? new Date().toISOString() }, printer));
  });
}

function checkedAsk(id: string | undefined, options: LogsOptions): { ask: EventsAsk; query: EventQuery } | string {
  const lines = options.lines ?? (options.follow ? String(FOLLOW_LINES) : undefined);
  const params = new URLSearchParams();
  if (lines !== undefined) params.set('n', lines);
  if (options.since !== undefined) params.set('since', options.since);
  if (options.priority !== undefined) params.set('level', options.priority);
  if (id !== undefined) params.set('job', id);
  const parsed = parseEventsQuery(params, { now: Date.now(), maxEvents: MAX_FILE_LINES });
  if (!parsed.ok) return parsed.error.replace(/^(n|since|level):/, (_, name: string) => `${FLAG[name]}:`);
  const query = parsed.value.query;
  // The instant is fixed here: a follow that reconnects later must not move it.
  const since = query.sinceMs === null ? null : new Date(query.sinceMs).toISOString();
  return { query, ask: { job: query.job, n: query.n, since, level: query.minLevel } };
}

// No line of the job in the file: fine for a job the daemon knows (it has not logged yet), a mistake otherwise.
async function unknownJob(socket: string, id: string, file: string): Promise<number> {
  const reply = await callDaemon(socket, 'GET', `/jobs/${encodeURIComponent(id)}`);
  if (reply.ok && reply.status === 200) return 0;
  process.stderr.write(`jobd: no job "${id}" (no line of it in ${file}${reply.ok ? '' : ', and no daemon to ask'})\n`);
  return 1;
}
