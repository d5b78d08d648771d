import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, startHostileDaemon } from '../../helpers/hostile.js';
import { httpBase, httpRequest } from '../../helpers/http.js';
import { sleep } from '../../helpers/process.js';

function rawSend(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.setTimeout(3_000, () => socket.destroy());
    socket.end(bytes);
  });
}

describe('issue 15: hostile clients of --http', () => {
  const tmp = useTempDir();

  it('issue 15: oversized targets and headers, garbage, bad encodings, a flood of idle connections and unread event streams leave the daemon healthy', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir, args: ['--http', '0'], shutdownGrace: '200ms' });
    const base = httpBase(target.daemon);
    const port = Number(new URL(base).port);
    expect((await httpRequest(`${base}/${'a'.repeat(5000)}`)).status).toBe(414);
    expect((await httpRequest(`${base}/job/%E0%A4%A`)).status).toBe(400);
    expect((await httpRequest(`${base}/api/jobs/%ZZ`)).status).toBe(400);
    expect((await httpRequest(`${base}/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await httpRequest(`${base}/api/jobs`, { method: 'POST', body: 'x'.repeat(100_000) })).status).toBe(403);
    expect(await rawSend(port, 'GARBAGE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawSend(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'b'.repeat(40_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431/);
    const idle = Array.from({ length: 100 }, () => connect(port, '127.0.0.1').on('error', () => undefined));
    const unread = Array.from({ length: 5 }, () => connect(port, '127.0.0.1').on('error', () => undefined));
    for (const socket of unread) socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`), socket.pause();
    await sleep(500);
    await expectStillHealthy(target);
    for (const socket of [...idle, ...unread]) socket.destroy();
    await sleep(300);
    expect((await httpRequest(`${base}/`)).status).toBe(200);
    await expectCleanStop(target);
  });
});
