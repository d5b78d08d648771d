import type { IncomingHttpHeaders } from 'node:http';
import { sameSecret } from './token.js';

/** The cookie that carries the bearer token once a browser opened the page with `?token=`. */
export const TOKEN_COOKIE = 'jobd_token';
/** The header a page's script sends the CSRF token in. */
export const CSRF_HEADER = 'x-jobd-csrf';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Whether a bind address only takes connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host.toLowerCase() === 'localhost.';
}

/**
 * Whether the `Host` header names this listener. On loopback only loopback names
 * are accepted, so a page on another site whose name resolves to 127.0.0.1 (DNS
 * rebinding) is refused; off loopback the bearer token does that work.
 */
export function hostAllowed(header: string | undefined, bound: { host: string; port: number }): boolean {
  if (!isLoopbackHost(bound.host)) return true;
  if (header === undefined || header.length > 300) return false;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(header.trim());
  if (!match) return false;
  const port = match[2] === undefined ? 80 : Number(match[2]);
  return port === bound.port && isLoopbackHost(match[1]!);
}

/**
 * Whether a state-changing request comes from the page itself: browsers send
 * `Sec-Fetch-Site` and `Origin` on POSTs, and neither may name another site.
 */
export function sameOrigin(headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    // `Origin: null` (a sandboxed frame, a file) or garbage: not this page.
    return false;
  }
}

/** Whether the request carries the CSRF token handed to the page. */
export function csrfMatches(headers: IncomingHttpHeaders, csrf: string): boolean {
  const given = headers[CSRF_HEADER];
  return typeof given === 'string' && sameSecret(given, csrf);
}

/** The bearer token a request carries: `Authorization: Bearer …` or the page's cookie. */
export function bearerOf(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(\S{1,1024})\s*$/i.exec(auth);
    if (match) return match[1]!;
  }
  return cookieValue(headers.cookie, TOKEN_COOKIE);
}

/** One cookie's value from a `Cookie` header, or null; bounded so a huge header costs nothing. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const pair of header.slice(0, 8192).split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    return value.length > 0 && value.length <= 1024 ? value : null;
  }
  return null;
}
