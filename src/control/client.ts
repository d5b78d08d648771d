import { request } from 'node:http';

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

/** Follows `GET /events` and hands each event to `onEvent` until the daemon goes away. */
export function followEvents(socketPath: string, path: string, onEvent: (event: Record<string, unknown>) => void): Promise<DaemonReply> {
  return new Promise((resolve) => {
    const req = request({ socketPath, method: 'GET', path }, (res) => {
      let rest = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) onEvent(JSON.parse(line) as Record<string, unknown>);
      });
      res.on('end', () => resolve({ ok: true, status: res.statusCode ?? 0, body: null }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, message: unreachable(socketPath, error) }));
    req.end();
  });
}

function unreachable(socketPath: string, error: NodeJS.ErrnoException): string {
  const why = error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? 'no daemon is running there' : error.message;
  return `${socketPath}: cannot reach jobd (${why}); start it with: jobd start`;
}
