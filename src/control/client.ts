import { request, type IncomingMessage } from 'node:http';

export type DaemonReply = { ok: true; status: number; body: unknown } | { ok: false; message: string };

/** One request to the daemon's control socket; a daemon that is not there is a value, not a throw. */
export function callDaemon(socketPath: string, method: 'GET' | 'POST', path: string): Promise<DaemonReply> {
  return new Promise((resolve) => {
    const req = request({ socketPath, method, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ ok: true, status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
        } catch {
          resolve({ ok: false, message: `unreadable answer from the daemon: ${text.slice(0, 200)}` });
        }
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, message: unreachable(socketPath, error) }));
    req.end();
  });
}

/**
 * One request whose successful answer goes to `out` byte for byte as it arrives: the
 * daemon's JSON is already a complete document, so parsing it only to print it again
 * would cost the client more than the daemon spends writing it. Waits on `out` when it is
 * slow (a pipe into `jq` still starting); an error answer is read and returned as a value.
 */
export function pipeDaemon(socketPath: string, path: string, out: NodeJS.WritableStream): Promise<DaemonReply> {
  return new Promise((resolve) => {
    const req = request({ socketPath, method: 'GET', path }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 400) return void refusal(res, resolve);
      let ended = false;
      res.on('data', (chunk: Buffer) => {
        if (out.write(chunk)) return;
        res.pause();
        out.once('drain', () => res.resume());
      });
      res.on('end', () => {
        ended = true;
        out.write('', () => resolve({ ok: true, status, body: null }));
      });
      res.on('close', () => {
        if (!ended) resolve({ ok: false, message: `the daemon's answer broke off (status ${status})` });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, message: unreachable(socketPath, error) }));
    req.end();
  });
}

/** How the reply of a follower the daemon dropped begins. */
export const DROPPED = 'the daemon stopped sending events';

/**
 * Follows `GET /events` and hands each event to `onEvent` until the daemon ends the
 * stream or goes away; a follower the daemon dropped for reading too slowly, or an
 * error answer (a bad parameter, an unknown job), is a failure.
 */
export function followEvents(input: {
  socketPath: string;
  path: string;
  onEvent: (event: Record<string, unknown>) => void;
  /** The daemon answered 200: events follow. */
  onOpen?: () => void;
  /** Ends the follow from this side; the reply is then `ok` with status 200. */
  signal?: AbortSignal;
}): Promise<DaemonReply> {
  const { socketPath, path, onEvent } = input;
  return new Promise((resolve) => {
    let dropped: string | null = null;
    const req = request({ socketPath, method: 'GET', path, ...(input.signal ? { signal: input.signal } : {}) }, (res) => {
      const status = res.statusCode ?? 0;
      if (status !== 200) return void refusal(res, resolve);
      input.onOpen?.();
      let rest = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          const event = eventOf(line);
          if (event?.event === 'events.dropped') dropped = String(event.reason);
          else if (event) onEvent(event);
        }
      });
      const finish = (): void => {
        resolve(dropped === null ? { ok: true, status, body: null } : { ok: false, message: `${DROPPED}: ${dropped}` });
      };
      // A connection cut without a last chunk (the daemon stopped, or closed a dropped follower) ends the follow as well.
      res.on('error', finish);
      res.on('end', finish);
      res.on('close', finish);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      resolve(input.signal?.aborted ? { ok: true, status: 200, body: null } : { ok: false, message: unreachable(socketPath, error) });
    });
    req.end();
  });
}

// An error answer is a short JSON body; its `error` line is what the user reads.
function refusal(res: IncomingMessage, resolve: (reply: DaemonReply) => void): void {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    if (text.length < 4096) text += chunk;
  });
  res.on('end', () => resolve({ ok: true, status: res.statusCode ?? 0, body: eventOf(text) ?? { error: text.slice(0, 200) } }));
  res.on('error', () => resolve({ ok: false, message: `the daemon's answer broke off (status ${res.statusCode})` }));
}

function eventOf(line: string): Record<string, unknown> | null {
  if (line.trim() === '') return null;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    // Not a line the daemon wrote whole; there is nothing to show of it.
    return null;
  }
}

function unreachable(socketPath: string, error: NodeJS.ErrnoException): string {
  const why = error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? 'no daemon is running there' : error.message;
  return `${socketPath}: cannot reach jobd (${why}); start it with: jobd start`;
}
