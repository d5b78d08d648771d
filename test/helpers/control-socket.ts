import { request } from 'node:http';
import { readReply, type Reply } from './reply.js';

/**
 * One HTTP request over the daemon's Unix socket. A body that the daemon
 * refuses before reading it whole may break the upload; the answer still counts.
 */
export function socketRequest(
  socketPath: string,
  method: string,
  path: string,
  { body, timeoutMs = 10_000 }: { body?: string | Buffer; timeoutMs?: number } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
    };
    const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const req = request({ socketPath, method, path, headers }, (res) => {
      readReply(res).then(
        (reply) => finish(() => resolve(reply)),
        (error: unknown) => finish(() => reject(error)),
      );
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish(() => reject(new Error(`no answer to ${method} ${path} within ${timeoutMs} ms`)));
    }, timeoutMs);
    req.on('error', (error) => {
      // An early answer with the upload cut short arrives through 'response'; give it a moment.
      setTimeout(() => finish(() => reject(error)), 200);
    });
    req.end(body);
  });
}

export interface EventStream {
  /** Parsed NDJSON lines received so far. */
  events: Array<Record<string, unknown>>;
  status(): number | null;
  /** Waits until `count` received events match. */
  waitFor(match: (event: Record<string, unknown>) => boolean, count: number, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Follows `GET <path>` (an NDJSON stream) on the daemon's socket. */
export function followSocket(socketPath: string, path: string): EventStream {
  const events: Array<Record<string, unknown>> = [];
  let statusCode: number | null = null;
  let rest = '';
  const listeners = new Set<() => void>();
  const req = request({ socketPath, method: 'GET', path }, (res) => {
    statusCode = res.statusCode ?? 0;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') events.push(JSON.parse(line) as Record<string, unknown>);
      listeners.forEach((listener) => listener());
    });
    res.on('error', () => undefined);
  });
  req.on('error', () => undefined);
  req.end();
  return {
    events,
    status: () => statusCode,
    waitFor: (match, count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (events.filter(match).length < count) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${count} streamed events; got ${events.length}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    close: () => req.destroy(),
  };
}
