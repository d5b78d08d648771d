import { chmod, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { DaemonControl } from '../types.js';
import { route } from './routes.js';

/** The control socket, listening. */
export interface ControlServer {
  close(): Promise<void>;
}

/** Bigger bodies are refused before they are read whole; no route needs more. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Serves `control` as HTTP on a Unix socket (mode 0600). A socket left by a
 * killed daemon is replaced; a live one means another daemon: refused.
 */
export async function startControlServer(
  socket: string,
  control: DaemonControl,
): Promise<{ ok: true; server: ControlServer } | { ok: false; message: string }> {
  if (await isLive(socket)) return { ok: false, message: `${socket}: another jobd is already running on this socket` };
  await rm(socket, { force: true });
  const server = createServer((req, res) => void handle(control, req, res));
  const listening = await new Promise<Error | null>((resolve) => {
    server.once('error', resolve);
    // Nobody but the owner may connect, from the first moment the socket exists.
    const mask = process.umask(0o177);
    server.listen(socket, () => resolve(null));
    process.umask(mask);
  });
  if (listening) return { ok: false, message: `${socket}: cannot listen: ${listening.message}` };
  await chmod(socket, 0o600);
  return {
    ok: true,
    server: {
      close: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await rm(socket, { force: true });
      },
    },
  };
}

function isLive(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(socket);
    probe.once('connect', () => (probe.destroy(), resolve(true)));
    probe.once('error', () => resolve(false));
  });
}

async function handle(control: DaemonControl, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (!body.ok) return send(res, body.status, { error: body.error });
  const url = new URL(req.url ?? '/', 'http://jobd');
  const outcome = await route(control, { method: req.method ?? 'GET', url, body: body.value, req, res });
  if (outcome) send(res, outcome.status, outcome.body);
}

type Body = { ok: true; value: unknown } | { ok: false; status: 400 | 413; error: string };

async function readBody(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { ok: false, status: 413, error: `request body over ${MAX_BODY_BYTES} bytes` };
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, status: 400, error: 'request body is not valid JSON' };
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(`${JSON.stringify(body)}\n`);
}
