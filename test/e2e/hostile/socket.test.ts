import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { followSocket, socketRequest } from '../../helpers/control-socket.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, HEARTBEAT, startHostileDaemon } from '../../helpers/hostile.js';
import { writeJob } from '../../helpers/jobs.js';
import { sleep, waitFor } from '../../helpers/process.js';

/** What a raw connection got: everything the daemon sent, and whether and when it closed the connection. */
interface Exchange {
  text: string;
  closedAfterMs: number | null;
}

/**
 * Writes `parts` to the Unix socket one after another (`gapMs` apart), then waits up
 * to `waitMs` for the daemon to close; `hangUp` closes from our side after writing.
 */
function rawExchange(path: string, parts: string[], { gapMs = 0, waitMs = 3_000, hangUp = false } = {}): Promise<Exchange> {
  return new Promise((resolve) => {
    const started = Date.now();
    const client = connect(path);
    let text = '';
    let closedAfterMs: number | null = null;
    const timer = setTimeout(() => (client.destroy(), resolve({ text, closedAfterMs })), waitMs);
    client.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    client.on('error', () => undefined);
    client.on('close', () => {
      closedAfterMs = Date.now() - started;
      clearTimeout(timer);
      resolve({ text, closedAfterMs });
    });
    void (async () => {
      for (const part of parts) {
        if (client.destroyed) return;
        client.write(part);
        if (gapMs > 0) await sleep(gapMs);
      }
      if (hangUp) client.destroy();
    })();
  });
}

const statusLine = (text: string): string => text.split('\r\n')[0] ?? '';
const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: jobd\r\nConnection: close\r\n\r\n`;

/** Opens a connection and resolves once it is connected or refused (closed at once). */
function openIdle(path: string): Promise<Socket> {
  return new Promise((resolve) => {
    const client = connect(path);
    client.on('error', () => undefined);
    // Reading is how a client notices the daemon closed the connection.
    client.resume();
    client.once('connect', () => resolve(client));
    client.once('close', () => resolve(client));
  });
}

function rssKiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/\d+/.exec(line ?? '')?.[0] ?? 0);
}

describe('hostile suite: the control socket (issue 11)', () => {
  const tmp = useTempDir();

  it('issue 11.2: bad percent-encoding, a mid-body hang-up, broken chunking and an over-long URL never crash the daemon', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir });
    for (const path of ['/jobs/%', '/jobs/%ff', '/jobs/%E0%A4%A', '/%/run']) {
      expect(statusLine((await rawExchange(target.socket, [get(path)])).text), path).toBe('HTTP/1.1 400 Bad Request');
    }
    expect(statusLine((await rawExchange(target.socket, [get(`/jobs/${'a'.repeat(5_000)}`)])).text)).toBe('HTTP/1.1 414 URI Too Long');
    const post = (headers: string) => `POST /jobs/heartbeat/run HTTP/1.1\r\nHost: jobd\r\n${headers}\r\n`;
    await rawExchange(target.socket, [post('Content-Length: 100\r\n'), '{'], { hangUp: true, gapMs: 50 });
    await rawExchange(target.socket, [post('Transfer-Encoding: chunked\r\n'), '5\r\n{"a"'], { hangUp: true, gapMs: 50 });
    const broken = await rawExchange(target.socket, [post('Transfer-Encoding: chunked\r\n'), 'zz\r\nnot a chunk\r\n']);
    expect(statusLine(broken.text)).toMatch(/^HTTP\/1\.1 400/);
    expect(broken.closedAfterMs).not.toBeNull();
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.2: a client that sends its headers or body too slowly is cut off within the request time bound; /events streams are not', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir });
    const follower = followSocket(target.socket, '/events?job=heartbeat');
    const drip = Array.from({ length: 40 }, (_, i) => `X-Slow-${i}: ${'y'.repeat(10)}\r\n`);
    const [headers, body] = await Promise.all([
      rawExchange(target.socket, ['GET /status HTTP/1.1\r\n', ...drip], { gapMs: 400, waitMs: 15_000 }),
      rawExchange(target.socket, ['POST /jobs/heartbeat/run HTTP/1.1\r\nHost: jobd\r\nContent-Length: 1000\r\n\r\n', ...drip], {
        gapMs: 400, waitMs: 15_000,
      }),
    ]);
    expect(headers.closedAfterMs, 'slow headers cut off').not.toBeNull();
    expect(headers.closedAfterMs!).toBeLessThan(12_000);
    expect(body.closedAfterMs, 'slow body cut off').not.toBeNull();
    expect(body.closedAfterMs!).toBeLessThan(14_000);
    const ends = follower.events.filter((e) => e.event === 'run.end');
    expect(follower.status()).toBe(200);
    expect(ends.length, 'the /events stream outlived the request time bound').toBeGreaterThanOrEqual(8);
    await follower.waitFor((e) => e.event === 'run.end', ends.length + 1, 5_000);
    follower.close();
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.6: with 128 file descriptors, idle clients beyond the cap are refused at once, runs still start, and a fresh client is answered after', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir });
    execFileSync('prlimit', ['--pid', String(target.daemon.pid), '--nofile=128:128']);
    const clients = await Promise.all(Array.from({ length: 300 }, () => openIdle(target.socket)));
    await sleep(300);
    expect(clients.filter((client) => client.destroyed).length, 'clients over the cap are closed at once').toBeGreaterThanOrEqual(236);
    const mark = target.daemon.mark();
    await target.daemon.waitForEvents((e) => e.event === 'run.end' && e.job === HEARTBEAT && e.status === 'ok', 2, { after: mark, timeoutMs: 4_000 });
    expect(clients.filter((client) => !client.destroyed).length).toBeLessThanOrEqual(64);
    expect(readdirSync(`/proc/${target.daemon.pid}/fd`).length).toBeLessThan(128);
    await waitFor(() => clients.every((client) => client.destroyed), { timeoutMs: 12_000, what: 'idle clients closed by the daemon' });
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.18: a stalled /events reader is dropped with a last line saying why, and the daemon stays small', async () => {
    const line = 'x'.repeat(8_000);
    await writeJob(tmp().jobsDir, 'chatty', { schedule: '@every 1s', command: `for i in $(seq 200); do echo ${line}; done` });
    const target = await startHostileDaemon({ dir: tmp().dir });
    const before = rssKiB(target.daemon.pid);
    const stalled = connect(target.socket);
    stalled.on('error', () => undefined);
    stalled.write(get('/events'));
    stalled.pause();
    const dropped = await target.daemon.waitForEvent('control.dropped', { timeoutMs: 15_000 });
    expect(dropped).toMatchObject({ level: 'warn', reason: expect.stringMatching(/unread/) });
    let text = '';
    const ended = new Promise<void>((resolve) => stalled.on('close', () => resolve()));
    stalled.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    stalled.resume();
    await ended;
    await target.daemon.waitForEvents((e) => e.event === 'run.end' && e.job === 'chatty', 3, { timeoutMs: 15_000 });
    const after = rssKiB(target.daemon.pid);
    // The stream is chunked; each event is one chunk, so every event line arrives whole.
    const last = text.split('\r\n').filter((l) => l.startsWith('{')).pop() ?? '';
    expect(JSON.parse(last)).toMatchObject({ event: 'events.dropped', reason: expect.stringMatching(/unread/) });
    expect(after - before, `RSS grew from ${before} to ${after} KiB`).toBeLessThan(64 * 1024);
    const quiet = await socketRequest(target.socket, 'GET', '/status');
    expect(quiet.status).toBe(200);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });
});
