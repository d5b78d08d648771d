import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { followEvents, pipeDaemon } from '../../../src/control/client.js';

let dir: string | undefined;
let server: Server | undefined;

/** A stand-in daemon that answers `/events` with these raw lines, then ends or cuts the stream. */
async function eventsServer(lines: string[], { cut = false } = {}): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'jobd-client-'));
  const socket = join(dir, 's.sock');
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    res.write(lines.join(''));
    if (cut) setTimeout(() => res.destroy(), 50);
    else res.end();
  });
  await new Promise<void>((resolve) => server!.listen(socket, resolve));
  return socket;
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) await rm(dir, { recursive: true, force: true });
  server = dir = undefined;
});

describe('followEvents (jobd logs -f)', () => {
  it('issue 11.18: a follower the daemon dropped ends as a failure naming the reason, after the events before it', async () => {
    const socket = await eventsServer(['{"event":"run.end","job":"a"}\n', '{"event":"events.dropped","reason":"client left over 1048576 bytes of events unread"}\n']);
    const seen: unknown[] = [];
    const reply = await followEvents({ socketPath: socket, path: '/events', onEvent: (event) => seen.push(event.event) });
    expect(seen).toEqual(['run.end']);
    expect(reply).toEqual({ ok: false, message: expect.stringContaining('unread') });
  });

  it('a line that is not JSON is skipped, and a stream cut short still ends the follow', async () => {
    const socket = await eventsServer(['not json\n', '{"event":"run.start"}\n', '{"event":"run.e'], { cut: true });
    const seen: unknown[] = [];
    const reply = await followEvents({ socketPath: socket, path: '/events', onEvent: (event) => seen.push(event.event) });
    expect(seen).toEqual(['run.start']);
    expect(reply.ok).toBe(true);
  });
});

describe('pipeDaemon (jobd status --json)', () => {
  const collect = (): { out: PassThrough; text: () => string } => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    return { out, text: () => Buffer.concat(chunks).toString('utf8') };
  };

  it('issue 13: the answer goes through byte for byte, unparsed', async () => {
    const socket = await eventsServer(['{"jobs":[{"id":"a"}],', '"text":"caf\u00e9 \\n"}\n']);
    const { out, text } = collect();
    expect(await pipeDaemon(socket, '/status', out)).toEqual({ ok: true, status: 200, body: null });
    expect(text()).toBe('{"jobs":[{"id":"a"}],"text":"caf\u00e9 \\n"}\n');
  });

  it('issue 13: an answer the daemon cut short is a failure, not a success with half a document', async () => {
    const socket = await eventsServer(['{"jobs":[{"id":"a"},'], { cut: true });
    const { out } = collect();
    expect(await pipeDaemon(socket, '/status', out)).toEqual({ ok: false, message: "the daemon's answer broke off (status 200)" });
  });
});
