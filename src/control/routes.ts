import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ControlOutcome, DaemonControl } from '../types.js';

interface Request {
  method: string;
  url: URL;
  body: unknown;
  req: IncomingMessage;
  res: ServerResponse;
}

type Reply = { status: number; body: unknown } | null;

const ACTIONS = ['run', 'cancel', 'pause', 'resume'] as const;

/** Maps one request to a DaemonControl call (SPEC §10); null when the route answered by itself (a stream). */
export async function route(control: DaemonControl, request: Request): Promise<Reply> {
  const { method, url } = request;
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [root, id, action] = parts;
  if (root === 'status' && parts.length === 1) return onlyGet(method) ?? ok(control.status());
  if (root === 'events' && parts.length === 1) return onlyGet(method) ?? streamEvents(control, request);
  if (root !== 'jobs' || parts.length > 3) return { status: 404, body: { error: `no route ${method} ${url.pathname}` } };
  if (id === undefined) return onlyGet(method) ?? ok(control.jobs());
  if (action === undefined) return onlyGet(method) ?? outcome(await control.job(id));
  if (!(ACTIONS as readonly string[]).includes(action)) return { status: 404, body: { error: `no route ${method} ${url.pathname}` } };
  if (method !== 'POST') return { status: 405, body: { error: `use POST for /jobs/${id}/${action}` } };
  switch (action as (typeof ACTIONS)[number]) {
    case 'run':
      return runJob(control, id, url.searchParams.has('wait'));
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

function streamEvents(control: DaemonControl, { url, res, req }: Request): Reply {
  const job = url.searchParams.get('job');
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const unsubscribe = control.subscribe((event) => {
    if (job === null || event.job === job) res.write(`${JSON.stringify(event)}\n`);
  });
  req.on('close', unsubscribe);
  return null;
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
