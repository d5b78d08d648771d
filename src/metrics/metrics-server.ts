import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Metrics } from './metrics.js';

/** Where `--metrics` listens: `[host:]port`, loopback when only a port is given. */
export function parseListenAddress(value: string): { host: string; port: number } | null {
  // The host part, when there is one, ends at a colon: `9464` alone is a port, never host `946` port `4`.
  const match = /^(?:(?:\[([0-9A-Fa-f:.%\w-]+)\]|([^:[\]\s]+)):)?(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65_535) return null;
  return { host: match[1] ?? match[2] ?? '127.0.0.1', port };
}

/** Answers `GET /metrics` and `GET /healthz` (anything else: 404); `--http` calls it too when the metrics are folded into it. */
export function answerMetrics(req: IncomingMessage, res: ServerResponse, input: { metrics: Metrics; healthy: () => boolean }): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET') return void res.writeHead(405).end();
  if (path === '/healthz') {
    const ok = input.healthy();
    return void res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok\n' : 'stopping\n');
  }
  if (path !== '/metrics') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  input.metrics.scrape().then(
    (text) => res.writeHead(200, { 'content-type': input.metrics.registry.contentType }).end(text),
    (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
  );
}

/** Serves `GET /metrics` (Prometheus text) and `GET /healthz` (200 while the daemon runs). */
export async function startMetricsServer(input: {
  host: string;
  port: number;
  metrics: Metrics;
  healthy: () => boolean;
  /** Errors of the listening socket itself (e.g. no file descriptor left to accept with). */
  onError: (error: Error) => void;
}): Promise<{ ok: true; close: () => Promise<void>; port: number } | { ok: false; message: string }> {
  // Scrapers are outside clients like any other: bounded in number and in time, and no target can throw.
  const server = createServer({ headersTimeout: 5_000, requestTimeout: 10_000, connectionsCheckingInterval: 1_000 }, (req, res) => {
    res.on('error', () => res.destroy());
    answerMetrics(req, res, input);
  });
  server.maxConnections = 64;
  const failed = await new Promise<Error | null>((resolve) => {
    server.once('error', resolve);
    server.listen(input.port, input.host, () => resolve(null));
  });
  if (failed) return { ok: false, message: `--metrics ${input.host}:${input.port}: cannot listen: ${failed.message}` };
  server.on('error', input.onError);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : input.port;
  return { ok: true, port, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}
