import { request } from 'node:http';
import { readReply, type Reply } from './reply.js';
import type { DaemonProcess } from './start-daemon.js';

/** One HTTP request with full control of the headers (`fetch` will not send a foreign Host or Origin). */
export function httpRequest(
  url: string,
  { method = 'GET', headers = {}, body, timeoutMs = 10_000 }: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      readReply(res).then(
        (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject,
      );
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer to ${method} ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}

/** The `http://host:port` base the daemon logged in `daemon.start`. */
export function httpBase(daemon: DaemonProcess): string {
  const address = daemon.eventsOf('daemon.start')[0]?.http;
  if (typeof address !== 'string') throw new Error(`daemon.start has no http address: ${JSON.stringify(daemon.eventsOf('daemon.start')[0])}`);
  return `http://${address}`;
}

/** The CSRF token the page hands its script (`<meta name="jobd-csrf">`). */
export async function csrfOf(base: string, headers: Record<string, string> = {}): Promise<string> {
  const page = await httpRequest(`${base}/`, { headers });
  const match = /<meta name="jobd-csrf" content="([^"]+)">/.exec(page.text);
  if (!match) throw new Error(`no CSRF meta tag on the page (status ${page.status})`);
  return match[1]!;
}
