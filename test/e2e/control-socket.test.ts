import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { followSocket, socketRequest } from '../helpers/control-socket.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { writeJob } from '../helpers/jobs.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

const is = (name: string, job: string) => (e: LogEvent) => e.event === name && e.job === job;
const YEARLY = '@yearly';

describe('control socket (SPEC §10)', () => {
  const tmp = useTempDir();
  const sock = () => tmp().path('jobd.sock');

  it('the socket file has mode 0600', async () => {
    await startDaemon({ dir: tmp().dir });
    const info = await stat(sock());
    expect(info.isSocket()).toBe(true);
    expect(info.mode & 0o777).toBe(0o600);
  });

  it('GET /status answers pid, version, counts, jobs and running runs', async () => {
    await writeJob(tmp().jobsDir, 'alpha', { schedule: YEARLY, command: 'true' });
    await writeJob(tmp().jobsDir, 'beta', { schedule: YEARLY, enabled: false, command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const reply = await socketRequest(sock(), 'GET', '/status');
    expect(reply.status).toBe(200);
    expect(String(reply.headers['content-type'])).toMatch(/json/);
    const body = reply.json as Record<string, unknown>;
    expect(body.pid).toBe(daemon.pid);
    expect(typeof body.version).toBe('string');
    expect(body.counts).toMatchObject({ scheduled: 1, disabled: 1 });
    expect((body.jobs as Array<{ id: string; state: string }>).map((j) => [j.id, j.state]).sort()).toEqual([
      ['alpha', 'scheduled'],
      ['beta', 'disabled'],
    ]);
    expect(body.running).toEqual([]);
  });

  it('GET /jobs lists the jobs; GET /jobs/:id gives the definition and history; an unknown id is 404', async () => {
    await writeJob(tmp().jobsDir, 'alpha', { schedule: YEARLY, command: 'echo from-alpha' });
    await writeJob(tmp().jobsDir, 'beta', { schedule: YEARLY, command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const jobs = await socketRequest(sock(), 'GET', '/jobs');
    expect(jobs.status).toBe(200);
    expect((jobs.json as Array<{ id: string }>).map((j) => j.id).sort()).toEqual(['alpha', 'beta']);

    const started = await socketRequest(sock(), 'POST', '/jobs/alpha/run');
    expect(started.status).toBe(202);
    const runId = (started.json as { run: string }).run;
    expect(runId).toMatch(/^alpha-/);
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.run === runId, { timeoutMs: 8_000 });

    const one = await socketRequest(sock(), 'GET', '/jobs/alpha');
    expect(one.status).toBe(200);
    const body = one.json as { id: string; definition: { command: unknown }; history: Array<{ run: string; status: string; trigger: string }> };
    expect(body.id).toBe('alpha');
    expect(JSON.stringify(body.definition.command)).toContain('echo from-alpha');
    expect(body.history.find((r) => r.run === runId)).toMatchObject({ status: 'ok', trigger: 'manual' });

    const missing = await socketRequest(sock(), 'GET', '/jobs/nope');
    expect(missing.status).toBe(404);
    expect(typeof (missing.json as { error?: unknown }).error).toBe('string');
  });

  it('POST /jobs/:id/run answers 202 with the run id, and the run has trigger manual; ?wait answers the record', async () => {
    await writeJob(tmp().jobsDir, 'now', { schedule: YEARLY, command: 'echo "$JOBD_TRIGGER"' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const reply = await socketRequest(sock(), 'POST', '/jobs/now/run');
    expect(reply.status).toBe(202);
    const runId = (reply.json as { run: string }).run;
    const start = await daemon.waitForEvent((e) => e.event === 'run.start' && e.run === runId, { timeoutMs: 8_000 });
    expect(start.trigger).toBe('manual');
    const output = await daemon.waitForEvent((e) => e.event === 'run.output' && e.run === runId, { timeoutMs: 8_000 });
    expect(output.line).toBe('manual');
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.run === runId, { timeoutMs: 8_000 });

    const waited = await socketRequest(sock(), 'POST', '/jobs/now/run?wait', { timeoutMs: 15_000 });
    expect(waited.status).toBe(200);
    expect(waited.json).toMatchObject({ job: 'now', status: 'ok', trigger: 'manual', exitCode: 0 });
  });

  it('GET /events?job=x streams NDJSON events of that job only', async () => {
    await writeJob(tmp().jobsDir, 'x', { schedule: '*/1 * * * * *', command: 'echo tick-x' });
    await writeJob(tmp().jobsDir, 'y', { schedule: '*/1 * * * * *', command: 'echo tick-y' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const stream = followSocket(sock(), '/events?job=x');
    try {
      await stream.waitFor((e) => e.event === 'run.end', 2, 10_000);
      expect(stream.status()).toBe(200);
      expect(stream.events.length).toBeGreaterThanOrEqual(4);
      for (const event of stream.events) expect(event.job).toBe('x');
      expect(stream.events.some((e) => e.event === 'run.output' && e.line === 'tick-x')).toBe(true);
      // Meanwhile y ran too: the stream left it out.
      expect(daemon.eventsOf('run.end', 'y').length).toBeGreaterThanOrEqual(1);
    } finally {
      stream.close();
    }
    // The daemon is unaffected by a client going away.
    expect((await socketRequest(sock(), 'GET', '/status')).status).toBe(200);
  });

  it('bad requests get a JSON error with a 4xx status, and the daemon keeps answering', async () => {
    await writeJob(tmp().jobsDir, 'target', { schedule: YEARLY, command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir });
    const stillUp = async () => {
      const status = await socketRequest(sock(), 'GET', '/status');
      expect(status.status).toBe(200);
      expect(daemon.hasExited()).toBe(false);
    };
    const expectError = (reply: { status: number; json: unknown }, code: number) => {
      expect(reply.status).toBe(code);
      expect(typeof (reply.json as { error?: unknown } | undefined)?.error, JSON.stringify(reply.json)).toBe('string');
    };

    expectError(await socketRequest(sock(), 'POST', '/jobs/target/run', { body: '{"not json' }), 400);
    await stillUp();
    expectError(await socketRequest(sock(), 'GET', '/no/such/route'), 404);
    await stillUp();
    expectError(await socketRequest(sock(), 'GET', '/jobs/target/run'), 405);
    await stillUp();
    expectError(await socketRequest(sock(), 'POST', '/jobs/target/run', { body: Buffer.alloc(1024 * 1024, 'a') }), 413);
    await stillUp();
    // None of them started a run.
    expect(daemon.eventsOf('run.start', 'target')).toEqual([]);
  });
});
