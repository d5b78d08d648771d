import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { DaemonControl, Job } from '../types.js';
import { parseTarget, readBody, type Target } from '../control/request.js';
import { route } from '../control/routes.js';
import { sendJson } from '../control/send-json.js';
import { HEADERS_TIMEOUT_MS, MAX_CONNECTIONS, REQUEST_TIMEOUT_MS } from '../control/server.js';
import type { Metrics } from '../metrics/metrics.js';
import { answerMetrics } from '../metrics/metrics-server.js';
import { loadAssets, type Asset } from './assets.js';
import { bearerOf, csrfMatches, CSRF_HEADER, hostAllowed, isLoopbackHost, sameOrigin, TOKEN_COOKIE } from './guard.js';
import { answerPage, refusalPage } from './pages.js';
import { newCsrfToken, readTokenFile, sameSecret } from './token.js';
import { errorMessage } from '../format/error-message.js';

/** Sent with every answer: our own files only, no framing, no sniffing, nothing cached or referred. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** What the listener serves from. */
export interface HttpInput {
  host: string;
  port: number;
  tokenFile: string | null;
  showEnv: boolean;
  control: DaemonControl;
  maxConcurrency: number;
  definitionOf: (id: string) => Job | null;
  /** Set when `--metrics` is folded into `--http`: `/metrics` and `/healthz` are served here. */
  metrics: { metrics: Metrics; healthy: () => boolean } | null;
  onError: (error: Error) => void;
  onDropped: (reason: string) => void;
}

interface Served extends HttpInput {
  token: string | null;
  csrf: string;
  assets: Map<string, Asset>;
}

/** Starts `--http`: the status page, `/api/` (the control socket's routes) and, when folded in, the metrics. */
export async function startHttpServer(input: HttpInput): Promise<{ ok: true; close: () => Promise<void>; port: number } | { ok: false; message: string }> {
  const where = `--http ${input.host}:${input.port}`;
  if (!isLoopbackHost(input.host) && input.tokenFile === null) {
    return { ok: false, message: `${where}: binding beyond loopback needs --http-token-file <file> (a bearer token, mode 0600)` };
  }
  const token = input.tokenFile === null ? null : await readTokenFile(input.tokenFile);
  if (token && !token.ok) return token;
  const assets = await loadAssets();
  if (!(assets instanceof Map)) return { ok: false, message: assets.error };
  const served: Served = { ...input, token: token ? token.token : null, csrf: newCsrfToken(), assets };
  const server = createServer(
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, keepAliveTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1_000 },
    (req, res) => {
      // A client that hung up is dropped; nothing else is disturbed.
      req.on('error', () => res.destroy());
      res.on('error', () => res.destroy());
      handle(served, req, res).catch(() => res.destroy());
    },
  );
  server.maxConnections = MAX_CONNECTIONS;
  const failed = await new Promise<Error | null>((resolve) => {
    server.once('error', resolve);
    server.listen(input.port, input.host, () => resolve(null));
  });
  if (failed) return { ok: false, message: `${where}: cannot listen: ${failed.message}` };
  server.on('error', input.onError);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : input.port;
  served.port = port;
  return { ok: true, port, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

async function handle(served: Served, req: IncomingMessage, res: ServerResponse): Promise<void> {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  if (!hostAllowed(req.headers.host, served)) return refusalPage(res, 421, 'this listener answers only to its own loopback address');
  const target = parseTarget(req.url);
  if (!target.ok) return refusalPage(res, target.status, target.error);
  const [root] = target.parts;
  if (served.metrics && target.pathname === '/healthz') return answerMetrics(req, res, served.metrics);
  if (served.token !== null && !authorized(served, req, res, target)) return;
  if (root === 'api') return answerApi(served, req, res, target);
  if (req.method !== 'GET' && req.method !== 'HEAD') return refusalPage(res, 405, `use GET for ${target.pathname}`);
  if (root === 'assets' && target.parts.length === 2) return answerAsset(served, res, target.parts[1]!);
  if (served.metrics && target.pathname === '/metrics') return answerMetrics(req, res, served.metrics);
  const ctx = { now: Date.now(), maxConcurrency: served.maxConcurrency, csrf: served.csrf, showEnv: served.showEnv, definitionOf: served.definitionOf };
  return answerPage({ control: served.control, target, res, ctx });
}

// `?token=` in the address bar becomes an HttpOnly same-site cookie, and the token leaves the address bar.
function authorized(served: Served, req: IncomingMessage, res: ServerResponse, target: Target): boolean {
  const fromQuery = target.query.get('token');
  if (fromQuery !== null && sameSecret(fromQuery, served.token!)) {
    target.query.delete('token');
    const rest = target.query.toString();
    res.setHeader('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(served.token!)}; Path=/; HttpOnly; SameSite=Strict`);
    res.writeHead(303, { location: `${target.pathname}${rest ? `?${rest}` : ''}` }).end();
    return false;
  }
  const given = bearerOf(req.headers);
  if (given !== null && sameSecret(decodeURIComponentSafe(given), served.token!)) return true;
  const message = 'a bearer token is required: open the page with ?token=<token>, or send Authorization: Bearer <token>';
  res.setHeader('www-authenticate', 'Bearer realm="jobd"');
  if (target.parts[0] === 'api') void sendJson(res, 401, { error: message });
  else refusalPage(res, 401, message);
  return false;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Not percent-encoded by us: compare it as it came.
    return text;
  }
}

// The same routes and JSON as the control socket, under /api/; a POST must also come from the page itself.
async function answerApi(served: Served, req: IncomingMessage, res: ServerResponse, target: Target): Promise<void> {
  const method = req.method ?? 'GET';
  if (method === 'POST') {
    if (!sameOrigin(req.headers)) return sendJson(res, 403, { error: 'cross-site request refused: actions come only from the page itself' });
    if (!csrfMatches(req.headers, served.csrf)) return sendJson(res, 403, { error: `missing or wrong ${CSRF_HEADER} header (the token is in the page's jobd-csrf meta tag)` });
  }
  const body = await readBody(req);
  if (!body.ok) return sendJson(res, body.status, { error: body.error });
  const inner: Target = { ...target, parts: target.parts.slice(1), pathname: target.pathname.replace(/^\/api(?=\/|$)/, '') || '/' };
  let outcome: Awaited<ReturnType<typeof route>>;
  try {
    outcome = await route(served.control, { method, target: inner, body: body.value, res, onDropped: served.onDropped });
  } catch (error) {
    return sendJson(res, 500, { error: `jobd could not answer: ${errorMessage(error)}` });
  }
  if (outcome) await sendJson(res, outcome.status, outcome.body);
}

function answerAsset(served: Served, res: ServerResponse, name: string): void {
  const asset = served.assets.get(name);
  if (!asset) return refusalPage(res, 404, `no asset ${name}`);
  res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length }).end(asset.body);
}
