import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServer } from '../../../src/control/server.js';
import type { DaemonControl, DaemonStatus, JobStatus, RunRecord } from '../../../src/types.js';

const job: JobStatus = {
  id: 'a', file: '/jobs.d/a.json', state: 'scheduled', schedule: '@every 1m', scheduleWords: 'every minute', nextRunAt: null, lastRun: null, runCount: 0, running: [],
};
const status: DaemonStatus = {
  pid: 1, spawnerPid: null, version: 'test', startedAt: new Date(0).toISOString(), uptimeMs: 0, jobsDir: '/jobs.d',
  counts: { scheduled: 1, running: 0, paused: 0, disabled: 0, done: 0, invalid: 0 }, jobs: [job], running: [], invalidFiles: [],
};
const missing = { ok: false as const, status: 404 as const, error: 'no such job' };

/** A daemon with one job `a`, as the control socket sees it: the seam the server is written against. */
const control: DaemonControl = {
  status: () => status,
  jobs: () => [job],
  job: (id) => (id === 'a' ? { ok: true, value: { ...job, definition: null, history: [], checkpoint: null } } : missing),
  run: (id) => (id === 'a' ? { ok: true, value: { run: 'a-1', result: Promise.resolve({ run: 'a-1' } as unknown as RunRecord) } } : missing),
  cancel: (id) => (id === 'a' ? { ok: false, status: 409, error: 'no run in progress' } : missing),
  pause: (id) => (id === 'a' ? { ok: true, value: job } : missing),
  resume: (id) => (id === 'a' ? { ok: true, value: job } : missing),
  subscribe: () => () => undefined,
  recentEvents: () => [],
  knows: () => true,
};

/** Sends raw bytes in the given pieces, half-closes, and resolves with what came back once the server is done or a second passed. */
function exchange(path: string, pieces: Buffer[]): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const client = connect(path);
    let text = '';
    const timer = setTimeout(() => (client.destroy(), resolve({ text, closed: false })), 1_000);
    client.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    client.on('error', () => undefined);
    client.on('close', () => (clearTimeout(timer), resolve({ text, closed: true })));
    for (const piece of pieces) client.write(piece);
    client.end();
  });
}

const method = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'BREW'), fc.string({ maxLength: 12 }));
const path = fc.oneof(
  fc.constantFrom('/status', '/jobs', '/jobs/a', '/jobs/a/run?wait', '/jobs/a/cancel', '/jobs/%', '/jobs/%ff', '/%E0%A4%A/run', '/events'),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => `/${encodeURI(s)}`),
  fc.string({ maxLength: 100 }).map((s) => `/jobs/${s}`),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => `/${'x'.repeat(n)}`),
);
const body = fc.oneof(fc.constant(Buffer.alloc(0)), fc.uint8Array({ maxLength: 2_000 }).map((b) => Buffer.from(b)), fc.json().map((j) => Buffer.from(j)));
const framing = fc.constantFrom('length', 'short-length', 'chunked', 'broken-chunked', 'none');

function request(m: string, p: string, b: Buffer, how: string): Buffer {
  const head = (extra: string) => Buffer.from(`${m} ${p} HTTP/1.1\r\nHost: jobd\r\nConnection: close\r\n${extra}\r\n`, 'latin1');
  switch (how) {
    case 'length':
      return Buffer.concat([head(`Content-Length: ${b.length}\r\n`), b]);
    case 'short-length':
      return Buffer.concat([head(`Content-Length: ${b.length + 100}\r\n`), b]);
    case 'chunked':
      return Buffer.concat([head('Transfer-Encoding: chunked\r\n'), Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n0\r\n\r\n')]);
    case 'broken-chunked':
      return Buffer.concat([head('Transfer-Encoding: chunked\r\n'), Buffer.from('zz\r\n'), b]);
    default:
      return Buffer.concat([head(''), b]);
  }
}

/** Cuts `bytes` at the given fractions, so the server sees the request in odd pieces. */
function cut(bytes: Buffer, fractions: number[]): Buffer[] {
  const points = [...new Set(fractions.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) pieces.push(bytes.subarray(start, point));
    start = Math.max(start, point);
  }
  return pieces;
}

describe('the control server under random requests', () => {
  let dir: string;
  let server: ControlServer;
  const errors: Error[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jobd-control-'));
    const started = await startControlServer({ socket: join(dir, 's.sock'), control, onError: (e) => errors.push(e), onDropped: () => undefined });
    if (!started.ok) throw new Error(started.message);
    server = started.server;
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('issue 11.2: never throws; a whole request gets a 2xx/4xx answer, a cut-short one at least a closed connection', async () => {
    await fc.assert(
      fc.asyncProperty(method, path, body, framing, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }), async (m, p, b, how, at) => {
        const reply = await exchange(join(dir, 's.sock'), cut(request(m, p, b, how), at));
        const line = reply.text.split('\r\n')[0] ?? '';
        // A request sent whole deserves an answer; only a cut-short one may just be dropped.
        if (how === 'length' || how === 'chunked') expect(line, 'a whole request got no answer').not.toBe('');
        if (line === '') expect(reply.closed, 'no answer and the connection still open').toBe(true);
        else expect(line).toMatch(/^HTTP\/1\.1 [24]\d\d /);
      }),
      { numRuns: 120 },
    );
    const after = await exchange(join(dir, 's.sock'), [Buffer.from('GET /status HTTP/1.1\r\nHost: jobd\r\nConnection: close\r\n\r\n')]);
    expect(after.text.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(errors).toEqual([]);
  }, 60_000);
});
