import type { IncomingMessage } from 'node:http';

/** Longer request targets are refused before any route looks at them; no route needs more. */
export const MAX_TARGET_CHARS = 2048;
/** Bigger bodies are refused before they are read whole; no route needs more. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A refusal: the status and the one line the client gets. */
export interface Refusal {
  ok: false;
  status: 400 | 413 | 414;
  error: string;
}

/** A request target split into decoded path segments and a query. */
export interface Target {
  ok: true;
  pathname: string;
  parts: string[];
  query: URLSearchParams;
}

/** Splits and decodes a request target (`/jobs/a%20b?wait`); bad or oversized targets are refusals, never throws. */
export function parseTarget(raw: string | undefined): Target | Refusal {
  const target = raw ?? '/';
  if (target.length > MAX_TARGET_CHARS) return { ok: false, status: 414, error: `request target over ${MAX_TARGET_CHARS} characters` };
  if (!target.startsWith('/')) return { ok: false, status: 400, error: 'request target must be a path such as /status' };
  const mark = target.indexOf('?');
  const pathname = mark < 0 ? target : target.slice(0, mark);
  const parts: string[] = [];
  for (const segment of pathname.split('/')) {
    if (segment === '') continue;
    try {
      parts.push(decodeURIComponent(segment));
    } catch {
      return { ok: false, status: 400, error: `bad percent-encoding in path segment "${segment.slice(0, 100)}"` };
    }
  }
  return { ok: true, pathname, parts, query: new URLSearchParams(mark < 0 ? '' : target.slice(mark + 1)) };
}

export type Body = { ok: true; value: unknown } | Refusal;

/**
 * Reads the request body as JSON (empty: null). The request's time bound is the
 * server's; a client that hangs up mid-body makes this reject, which the caller
 * turns into a dropped connection.
 */
export async function readBody(req: IncomingMessage): Promise<Body> {
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
