import type { ServerResponse } from 'node:http';
import type { ControlOutcome, DaemonControl } from '../types.js';
import { eventMatches, RING_MAX_EVENTS } from '../log/event-ring.js';
import { parseEventsQuery } from './events-query.js';
import type { Target } from './request.js';

interface Request {
  method: string;
  target: Target;
  body: unknown;
  res: ServerResponse;
  /** Told when an `/events` subscriber is dropped, so the daemon can log it. */
  onDropped: (reason: string) => void;
}

type Reply = { status: number; body: unknown } | null;

const ACTIONS = ['run', 'cancel', 'pause', 'resume'] as const;

/** Bytes of events a subscriber may leave unread before it is dropped: the daemon never buffers without limit. */
export const MAX_EVENT_BACKLOG_BYTES = 1024 * 1024;
/** How long a dropped subscriber gets to take its last line before its connection is closed. */
const DROP_GRACE_MS = 2_000;

/** Maps one request to a DaemonControl call (SPEC §10); null when the route answered by itself (a stream). */
export async function route(control: DaemonControl, request: Request): Promise<Reply> {
  const { method, target } = request;
  const { parts, pathname } = target;
  const [root, id, action] = parts;
  if (root === 'status' && parts.length === 1) return onlyGet(method) ?? ok(control.status());
  if (root === 'events' && parts.length === 1) return onlyGet(method) ?? streamEvents(control, request);
  if (root !== 'jobs' || parts.length > 3) return { status: 404, body: { error: `no route ${method} ${pathname}` } };
  if (id === undefined) return onlyGet(method) ?? ok(control.jobs());
  if (action === undefined) return onlyGet(method) ?? outcome(await control.job(id));
  if (!(ACTIONS as readonly string[]).includes(action)) return { status: 404, body: { error: `no route ${method} ${pathname}` } };
  if (method !== 'POST') return { status: 405, body: { error: `use POST for /jobs/${id}/${action}` } };
  switch (action as (typeof ACTIONS)[number]) {
    case 'run':
      return runJob(control, id, target.query.has('wait'));
    case 'cancel':
      return outcome(await control.cancel(id));
    case 'pause':
      return outcome(await control.pause(id));
    case 'resume':
      return outcome(await control.resume(id));
  }
}

async function runJob(control: DaemonControl, id: string, wait: boolean): Promise<Reply> {
  const started = control.run(id);
  if (!started.ok) return outcome(started);
  if (!wait) return { status: 202, body: { run: started.value.run } };
  return ok(await started.value.result);
}

// Kept events, then live ones; both are taken in the same tick, so none is missed or sent twice.
async function streamEvents(control: DaemonControl, { target, res, onDropped }: Request): Promise<Reply> {
  const parsed = parseEventsQuery(target.query, { now: Date.now(), maxEvents: RING_MAX_EVENTS });
  if (!parsed.ok) return { status: 400, body: { error: parsed.error } };
  const { query, backlog, live } = parsed.value;
  if (query.job !== null && !jobKnown(control, query.job)) return { status: 404, body: { error: `no job "${query.job}"` } };
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  // A follower learns at once that it is subscribed (`run --wait` asks for the run only then).
  res.flushHeaders();
  let kept = 0;
  if (backlog) {
    // Line by line: the queued strings are the ring's own, not a copy of up to 8 MiB per client.
    for (const line of control.recentEvents(query)) {
      res.write(line);
      res.write('\n');
      kept += line.length + 1;
    }
  }
  if (!live) {
    res.end();
    return null;
  }
  // The kept events were asked for; only live ones left unread on top of them count against the follower.
  const limit = MAX_EVENT_BACKLOG_BYTES + kept;
  const unsubscribe = control.subscribe((event) => {
    if (res.destroyed || res.writableEnded) return void unsubscribe();
    if (!eventMatches(event, query)) return;
    if (res.writableLength > limit) return dropSubscriber(res, unsubscribe, onDropped);
    res.write(`${JSON.stringify(event)}\n`);
  });
  res.on('close', unsubscribe);
  return null;
}

// A job removed since still has its kept lines to show; an id never seen is a mistake worth saying.
// The loaded jobs first: the kept events are read line by line, and only for an id not loaded.
function jobKnown(control: DaemonControl, id: string): boolean {
  return control.knows(id) || control.recentEvents({ n: 1, sinceMs: null, job: id, minLevel: null }).length > 0;
}

// A reader that stopped reading: it gets a last line saying why (if it ever reads again), then goes.
function dropSubscriber(res: ServerResponse, unsubscribe: () => void, onDropped: (reason: string) => void): void {
  unsubscribe();
  const reason = `client left over ${MAX_EVENT_BACKLOG_BYTES} bytes of events unread`;
  res.end(`${JSON.stringify({ event: 'events.dropped', reason })}\n`);
  // Later, not now: this runs inside the logger's write, which must not log again before it returns.
  setImmediate(() => onDropped(reason));
  const timer = setTimeout(() => res.destroy(), DROP_GRACE_MS);
  res.once('close', () => clearTimeout(timer));
}

function onlyGet(method: string): Reply {
  return method === 'GET' ? null : { status: 405, body: { error: `use GET, not ${method}` } };
}

function ok(value: unknown): Reply {
  return { status: 200, body: value };
}

function outcome<T>(result: ControlOutcome<T>): Reply {
  return result.ok ? ok(result.value) : { status: result.status, body: { error: result.error } };
}
