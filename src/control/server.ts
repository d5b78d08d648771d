import { chmod, rename } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { DaemonControl } from '../types.js';
import { parseTarget, readBody } from './request.js';
import { route } from './routes.js';
import { sendJson } from './send-json.js';
import { clearStaleSocket, provisionalSocketPath, removeOwnSocket, socketIdentity } from './socket-file.js';
import { errorMessage } from '../format/error-message.js';

/** The control socket, listening. */
export interface ControlServer {
  close(): Promise<void>;
}

/** Clients connected at once; more are refused, so idle clients cannot use up the daemon's file descriptors. */
export const MAX_CONNECTIONS = 64;
/** Time a client gets to send its request headers; a connection that sends nothing is closed after it too. */
export const HEADERS_TIMEOUT_MS = 5_000;
/** Time a client gets to send its whole request, headers and body. */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Serves `control` as HTTP on a Unix socket (mode 0600). A socket left by a
 * killed daemon is replaced; a live one, or anything that is not a socket, is
 * refused and left as it is.
 */
export async function startControlServer(input: {
  socket: string;
  control: DaemonControl;
  /** Errors of the listening socket itself (e.g. no file descriptor left to accept with). */
  onError: (error: Error) => void;
  /** An `/events` subscriber left too much unread and was dropped. */
  onDropped: (reason: string) => void;
}): Promise<{ ok: true; server: ControlServer } | { ok: false; message: string }> {
  const { socket, control } = input;
  const free = await clearStaleSocket(socket);
  if (!free.ok) return free;
  const server = boundedServer((req, res) => handle({ control, req, res, onDropped: input.onDropped }));
  const provisional = provisionalSocketPath(socket);
  const listening = await new Promise<Error | null>((resolve) => {
    server.once('error', resolve);
    // Nobody but the owner may connect, from the first moment the socket exists.
    const mask = process.umask(0o177);
    server.listen(provisional, () => resolve(null));
    process.umask(mask);
  });
  if (listening) return { ok: false, message: `${socket}: cannot listen: ${listening.message}` };
  server.on('error', input.onError);
  const placed = await chmod(provisional, 0o600).then(() => rename(provisional, socket)).then(() => null, (error: Error) => error);
  if (placed) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return { ok: false, message: `${socket}: cannot put the socket in place: ${placed.message}` };
  }
  const own = await socketIdentity(socket);
  return {
    ok: true,
    server: {
      close: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        if (own) await removeOwnSocket(socket, own);
      },
    },
  };
}

function boundedServer(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Server {
  const server = createServer(
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, keepAliveTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1_000 },
    (req, res) => {
      // A client that hung up (mid-body, mid-answer) surfaces as an 'error' or a rejected body
      // read: its connection is gone or useless, so it is dropped and nothing else is disturbed.
      req.on('error', () => res.destroy());
      res.on('error', () => res.destroy());
      handler(req, res).catch(() => res.destroy());
    },
  );
  server.maxConnections = MAX_CONNECTIONS;
  return server;
}

/** One request, start to end: every failure is a 4xx/5xx answer or a dropped connection, never a throw. */
async function handle(input: {
  control: DaemonControl;
  req: IncomingMessage;
  res: ServerResponse;
  onDropped: (reason: string) => void;
}): Promise<void> {
  const { control, req, res, onDropped } = input;
  const target = parseTarget(req.url);
  if (!target.ok) return sendJson(res, target.status, { error: target.error });
  const body = await readBody(req);
  if (!body.ok) return sendJson(res, body.status, { error: body.error });
  let outcome: Awaited<ReturnType<typeof route>>;
  try {
    outcome = await route(control, { method: req.method ?? 'GET', target, body: body.value, res, onDropped });
  } catch (error) {
    return sendJson(res, 500, { error: `jobd could not answer: ${errorMessage(error)}` });
  }
  if (outcome) await sendJson(res, outcome.status, outcome.body);
}
