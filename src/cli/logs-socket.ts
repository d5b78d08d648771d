import { DROPPED, followEvents, type DaemonReply } from '../control/client.js';
import { RING_MAX_EVENTS } from '../log/event-ring.js';
import type { EventPrinter } from './logs-print.js';

/** What `jobd logs` asks the daemon for; the values are already checked. */
export interface EventsAsk {
  job: string | null;
  n: number | null;
  since: string | null;
  level: string | null;
}

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 3_000;

/** The `/events` target for an ask; `follow` adds the live events after the kept ones. */
export function eventsPath(ask: EventsAsk, follow: boolean): string {
  const params = new URLSearchParams();
  // Without -n the daemon gives every kept event that matches, as journalctl prints the whole journal.
  params.set('n', String(ask.n ?? RING_MAX_EVENTS));
  if (ask.since !== null) params.set('since', ask.since);
  if (ask.job !== null) params.set('job', ask.job);
  if (ask.level !== null) params.set('level', ask.level);
  if (follow) params.set('follow', '');
  return `/events?${params.toString()}`;
}

/** Prints the daemon's kept events for an ask; 0, or 1 with the reason on stderr. */
export async function printKeptEvents(socketPath: string, ask: EventsAsk, printer: EventPrinter): Promise<number> {
  const reply = await followEvents({ socketPath, path: eventsPath(ask, false), onEvent: printer.print });
  return failed(reply) ? 1 : 0;
}

/**
 * Prints the kept events, then follows; when the daemon goes away (a restart), says so on
 * stderr and reconnects with a growing pause, asking only for what came after the last
 * line printed. Ends only on an error answer (exit 1) or when the process is stopped.
 */
export async function followDaemon(socketPath: string, ask: EventsAsk, printer: EventPrinter): Promise<number> {
  let path = eventsPath(ask, true);
  let lost = false;
  let everOpened = false;
  let pause = FIRST_RETRY_MS;
  let since = new Date().toISOString();
  for (;;) {
    const reply = await followEvents({
      socketPath,
      path,
      onEvent: printer.print,
      onOpen: () => {
        everOpened = true;
        pause = FIRST_RETRY_MS;
        if (lost) process.stderr.write('jobd: reconnected\n');
        lost = false;
      },
    });
    // A daemon that restarted answers before it has read jobs.d, so "no job" then means "not yet".
    if (reply.ok && reply.status !== 200 && !lost) return failed(reply) ? 1 : 0;
    // The very first connection failing is a daemon that is not there: say so and stop, like every command.
    if (!everOpened) return failed(reply) ? 1 : 0;
    // Dropped for reading too slowly: reconnecting would only repeat that, so it ends saying why.
    if (!reply.ok && reply.message.startsWith(DROPPED)) return failed(reply) ? 1 : 0;
    if (!lost) process.stderr.write('jobd: daemon went away, reconnecting…\n');
    lost = true;
    since = printer.lastTime() ?? since;
    printer.replaying();
    path = eventsPath({ ...ask, n: RING_MAX_EVENTS, since }, true);
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, LAST_RETRY_MS);
  }
}

function failed(reply: DaemonReply): boolean {
  if (!reply.ok) {
    process.stderr.write(`jobd: ${reply.message}\n`);
    return true;
  }
  if (reply.status === 200) return false;
  const error = (reply.body as { error?: unknown } | null)?.error;
  process.stderr.write(`jobd: ${typeof error === 'string' ? error : `status ${reply.status}`}\n`);
  return true;
}
