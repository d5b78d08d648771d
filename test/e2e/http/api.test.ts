import { chmod, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { socketRequest } from '../../helpers/control-socket.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { csrfOf, httpBase, httpRequest } from '../../helpers/http.js';
import { writeJob } from '../../helpers/jobs.js';
import { waitFor } from '../../helpers/process.js';
import { startDaemon } from '../../helpers/start-daemon.js';

const SECRET = 's3cr3t-env-value-9f2c';
const TOKEN = 'tok-0123456789abcdef0123456789';
const rowIds = (text: string) => [...text.matchAll(/<tr data-job="([^"]+)">/g)].map((m) => m[1]);

describe('issue 15: the status page API, without a browser', () => {
  const tmp = useTempDir();

  it('issue 15: /api/ answers every socket route with the same status and JSON as the control socket', async () => {
    await writeJob(tmp().jobsDir, 'quick', { schedule: '@every 1s', command: 'echo hello' });
    await writeJob(tmp().jobsDir, 'garbled', '{ "schedule": ', { raw: true });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const base = httpBase(daemon);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'quick');
    const socket = tmp().path('jobd.sock');
    for (const path of ['/jobs', '/jobs/quick', '/jobs/nope', '/nope', '/jobs/quick/explode', '/status']) {
      const [viaSocket, viaHttp] = await Promise.all([socketRequest(socket, 'GET', path), httpRequest(`${base}/api${path}`)]);
      expect(viaHttp.status, path).toBe(viaSocket.status);
      expect(viaHttp.headers['content-type'], path).toBe('application/json');
      const strip = (body: unknown) => JSON.parse(JSON.stringify(body), (key, value) => (['uptimeMs', 'nextRunAt', 'lastRun', 'history', 'runCount', 'running', 'counts', 'jobs', 'lastFireAt'].includes(key) ? undefined : value));
      expect(strip(viaHttp.json), path).toEqual(strip(viaSocket.json));
    }
    const jobs = (await httpRequest(`${base}/api/jobs`)).json as Array<{ id: string; state: string }>;
    expect(jobs.map((j) => [j.id, j.state]).sort()).toEqual([['garbled', 'invalid'], ['quick', 'scheduled']]);
    const wrongMethod = await httpRequest(`${base}/api/jobs/quick/run`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.json).toEqual({ error: 'use POST for /jobs/quick/run' });
  });

  it('issue 15: /api/events streams the log events as NDJSON, filtered by ?job=', async () => {
    await writeJob(tmp().jobsDir, 'quick', { schedule: '@every 1s', command: 'echo hello' });
    await writeJob(tmp().jobsDir, 'other', { schedule: '@every 1s', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const controller = new AbortController();
    const answer = await fetch(`${httpBase(daemon)}/api/events?job=quick`, { signal: controller.signal });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/x-ndjson');
    const reader = answer.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!/"event":"run\.end"/.test(text)) text += (await reader.read()).value ?? '';
    controller.abort();
    const events = text.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.some((e) => e.event === 'run.output' && e.line === 'hello')).toBe(true);
    expect(events.every((e) => e.job === 'quick')).toBe(true);
  });

  it('issue 14: /api/events takes the same n, job and level as the socket, and refuses a bad one the same way', async () => {
    await writeJob(tmp().jobsDir, 'quick', { schedule: '@every 1s', command: 'echo hello' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    await daemon.waitForEvents((e) => e.event === 'run.end' && e.job === 'quick', 2, { timeoutMs: 10_000 });
    const kept = await httpRequest(`${httpBase(daemon)}/api/events?n=3&job=quick`);
    expect(kept.status).toBe(200);
    const events = kept.text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.job === 'quick')).toBe(true);
    const refused = await httpRequest(`${httpBase(daemon)}/api/events?level=loud`);
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ error: 'level: expected trace, debug, info, warn, error or fatal' });
  });

  it('issue 15: run, pause, resume and cancel are POSTs that work with the page\'s CSRF token', async () => {
    await writeJob(tmp().jobsDir, 'manual', { schedule: '0 0 1 1 *', command: 'echo by-hand' });
    await writeJob(tmp().jobsDir, 'long', { schedule: '0 0 1 1 *', command: 'sleep 30' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const base = httpBase(daemon);
    const headers = { 'x-jobd-csrf': await csrfOf(base), origin: base, 'sec-fetch-site': 'same-origin' };
    const post = (path: string) => httpRequest(`${base}/api${path}`, { method: 'POST', headers });
    const run = await post('/jobs/manual/run');
    expect(run.status).toBe(202);
    expect(run.json).toEqual({ run: 'manual-1' });
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.run === 'manual-1' && e.status === 'ok' && e.trigger === 'manual');
    const paused = await post('/jobs/manual/pause');
    expect(paused.status).toBe(200);
    expect((paused.json as { state: string }).state).toBe('paused');
    expect(((await httpRequest(`${base}/api/jobs/manual`)).json as { state: string }).state).toBe('paused');
    expect(((await post('/jobs/manual/resume')).json as { state: string }).state).toBe('scheduled');
    expect((await post('/jobs/long/cancel')).status).toBe(409);
    await post('/jobs/long/run');
    await daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'long');
    const cancelled = await post('/jobs/long/cancel');
    expect(cancelled.json).toEqual({ cancelled: ['long-1'] });
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'long' && e.status === 'cancelled');
    expect((await post('/jobs/nope/run')).status).toBe(404);
  });

  it('issue 15: a POST without the CSRF token, with a wrong one, or from another site is refused and changes nothing', async () => {
    await writeJob(tmp().jobsDir, 'manual', { schedule: '0 0 1 1 *', command: 'echo by-hand' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const base = httpBase(daemon);
    const csrf = await csrfOf(base);
    const attempts: Array<Record<string, string>> = [
      {},
      { 'x-jobd-csrf': 'guessed-token' },
      { 'x-jobd-csrf': csrf, origin: 'http://evil.example' },
      { 'x-jobd-csrf': csrf, origin: 'null' },
      { 'x-jobd-csrf': csrf, 'sec-fetch-site': 'cross-site' },
      { 'x-jobd-csrf': csrf, 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of attempts) {
      for (const action of ['run', 'pause']) {
        const refused = await httpRequest(`${base}/api/jobs/manual/${action}`, { method: 'POST', headers });
        expect(refused.status, JSON.stringify(headers)).toBe(403);
        expect(String((refused.json as { error: string }).error)).toMatch(/cross-site|x-jobd-csrf/);
      }
    }
    const job = (await httpRequest(`${base}/api/jobs/manual`)).json as { state: string; runCount: number };
    expect(job).toMatchObject({ state: 'scheduled', runCount: 0 });
    expect(daemon.eventsOf('run.start')).toHaveLength(0);
  });

  it('issue 15: a Host header that is not a loopback name of the listener is refused (DNS rebinding)', async () => {
    await writeJob(tmp().jobsDir, 'manual', { schedule: '0 0 1 1 *', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const base = httpBase(daemon);
    const port = new URL(base).port;
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:1`, `localhost.evil.example:${port}`]) {
      const refused = await httpRequest(`${base}/api/jobs`, { headers: { host } });
      expect(refused.status, host).toBe(421);
      expect(refused.text).not.toContain('manual');
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      expect((await httpRequest(`${base}/api/jobs`, { headers: { host } })).status, host).toBe(200);
    }
  });

  it('issue 15: binding beyond loopback without --http-token-file, or with a token file others can read, is refused', async () => {
    await writeJob(tmp().jobsDir, 'manual', { schedule: '0 0 1 1 *', command: 'true' });
    const args = ['start', '--jobs-dir', tmp().jobsDir, '--state-file', tmp().path('state.json'), '--socket', tmp().path('s.sock'), '--no-pretty'];
    const open = await runCli([...args, '--http', '0.0.0.0:0'], { cwd: tmp().dir });
    expect(open.code).toBe(1);
    expect(open.stderr).toMatch(/--http 0\.0\.0\.0:0: binding beyond loopback needs --http-token-file <file>/);
    const tokenFile = tmp().path('token');
    await writeFile(tokenFile, `${TOKEN}\n`);
    await chmod(tokenFile, 0o644);
    const readable = await runCli([...args, '--http', '0.0.0.0:0', '--http-token-file', tokenFile], { cwd: tmp().dir });
    expect(readable.code).toBe(1);
    expect(readable.stderr).toContain(`${tokenFile}: --http-token-file has mode 0644; expected 0600 (run: chmod 600 ${tokenFile})`);
    const missing = await runCli([...args, '--http', '0.0.0.0:0', '--http-token-file', tmp().path('nope')], { cwd: tmp().dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--http-token-file cannot be read');
    const badAddress = await runCli([...args, '--http', 'nowhere:x'], { cwd: tmp().dir });
    expect(badAddress.code).toBe(2);
    expect(badAddress.stderr).toContain('--http');
  });

  it('issue 15: with --http-token-file every request needs the bearer token; ?token= becomes an HttpOnly cookie', async () => {
    await writeJob(tmp().jobsDir, 'manual', { schedule: '0 0 1 1 *', command: 'true' });
    const tokenFile = tmp().path('token');
    await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0.0.0.0:0', '--http-token-file', tokenFile] });
    const port = String(daemon.eventsOf('daemon.start')[0]!.http).split(':').pop();
    const base = `http://127.0.0.1:${port}`;
    for (const path of ['/', '/job/manual', '/api/jobs', '/api/status', '/assets/page.js']) {
      const refused = await httpRequest(`${base}${path}`);
      expect(refused.status, path).toBe(401);
      expect(refused.text).not.toContain('manual"');
      expect((await httpRequest(`${base}${path}`, { headers: { authorization: 'Bearer wrong-token-000000000' } })).status, path).toBe(401);
    }
    const bearer = { authorization: `Bearer ${TOKEN}` };
    expect((await httpRequest(`${base}/api/jobs`, { headers: bearer })).status).toBe(200);
    const opened = await httpRequest(`${base}/job/manual?token=${TOKEN}&run=x`);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/job/manual?run=x');
    const cookie = String(opened.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = { cookie: cookie.split(';')[0]! };
    const page = await httpRequest(`${base}/job/manual`, { headers: withCookie });
    expect(page.status).toBe(200);
    const csrf = /<meta name="jobd-csrf" content="([^"]+)">/.exec(page.text)![1]!;
    expect((await httpRequest(`${base}/api/jobs/manual/run`, { method: 'POST', headers: bearer })).status).toBe(403);
    expect((await httpRequest(`${base}/api/jobs/manual/run`, { method: 'POST', headers: { 'x-jobd-csrf': csrf } })).status).toBe(401);
    expect((await httpRequest(`${base}/api/jobs/manual/run`, { method: 'POST', headers: { ...withCookie, 'x-jobd-csrf': csrf } })).status).toBe(202);
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'manual');
  });

  it('issue 15: env values never leave through the page or the API; --http-show-env shows them on the job page only', async () => {
    await writeJob(tmp().jobsDir, 'secretive', { schedule: '0 0 1 1 *', command: 'true', env: { API_KEY: SECRET }, description: 'uses a key' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const base = httpBase(daemon);
    for (const path of ['/', '/?parts=1', '/job/secretive', '/job/secretive?parts=1', '/api/jobs', '/api/jobs/secretive', '/api/status']) {
      const answer = await httpRequest(`${base}${path}`);
      expect(answer.status, path).toBe(200);
      expect(answer.text, path).not.toContain(SECRET);
    }
    const page = await httpRequest(`${base}/job/secretive`);
    expect(page.text).toContain('&quot;API_KEY&quot;: &quot;***&quot;');
    await daemon.stop();

    const shown = await startDaemon({ dir: tmp().dir, args: ['--http', '0', '--http-show-env'] });
    const shownBase = httpBase(shown);
    expect((await httpRequest(`${shownBase}/job/secretive`)).text).toContain(`&quot;API_KEY&quot;: &quot;${SECRET}&quot;`);
    for (const path of ['/', '/api/jobs/secretive', '/api/status']) {
      expect((await httpRequest(`${shownBase}${path}`)).text, path).not.toContain(SECRET);
    }
  });

  it('issue 15: hostile ids, descriptions and output are escaped, under a strict Content-Security-Policy', async () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    await writeJob(tmp().jobsDir, 'shouty', { schedule: '0 0 1 1 *', command: `printf '%s\\n' '${evil}'`, description: evil });
    await writeJob(tmp().jobsDir, '<img src=x onerror=alert(3)>', '{ "schedule": ', { raw: true });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const base = httpBase(daemon);
    const headers = { 'x-jobd-csrf': await csrfOf(base) };
    await httpRequest(`${base}/api/jobs/shouty/run`, { method: 'POST', headers });
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'shouty');
    for (const path of ['/', '/job/shouty', '/job/%3Cimg%20src%3Dx%20onerror%3Dalert(3)%3E', '/job/%3Cscript%3E']) {
      const answer = await httpRequest(`${base}${path}`);
      expect(answer.headers['content-security-policy'], path).toMatch(/^default-src 'self'; script-src 'self';/);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.text, path).not.toMatch(/<script>alert|<img src=x/);
      expect(answer.text, path).not.toMatch(/<script(?! type="module" src="\/assets\/page\.js">)/);
    }
    const job = await httpRequest(`${base}/job/shouty`);
    expect(job.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect((await httpRequest(`${base}/`)).text).toContain('&lt;img src=x onerror=alert(3)&gt;');
  });

  it('issue 15: without JavaScript the server-rendered table filters, sorts by next fire and pages', async () => {
    for (let i = 0; i < 130; i += 1) {
      await writeJob(tmp().jobsDir, `job-${String(i).padStart(3, '0')}`, { schedule: `@every ${1000 + i}h`, command: 'true', description: i === 7 ? 'the lucky one' : `job number ${i}` });
    }
    await writeJob(tmp().jobsDir, 'soonest', { schedule: '@every 30m', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const base = httpBase(daemon);
    const first = await httpRequest(`${base}/`);
    expect(rowIds(first.text)).toHaveLength(100);
    expect(rowIds(first.text)[0]).toBe('soonest');
    expect(first.text).toContain('1–100 of 131');
    expect(first.text).toContain('href="/?page=2"');
    const second = await httpRequest(`${base}/?page=2`);
    expect(rowIds(second.text)).toHaveLength(31);
    expect(rowIds(second.text).at(-1)).toBe('job-129');
    expect(rowIds((await httpRequest(`${base}/?q=lucky`)).text)).toEqual(['job-007']);
    expect(rowIds((await httpRequest(`${base}/?state=paused`)).text)).toEqual([]);
    expect((await httpRequest(`${base}/?page=-1&state=%00&q=${'x'.repeat(1000)}`)).status).toBe(200);
    expect((await httpRequest(`${base}/?q=${'x'.repeat(5000)}`)).status).toBe(414);
  });

  it('issue 15: ?state=paused lists exactly the paused job, in the page and in the parts its script fetches', async () => {
    for (const id of ['alpha', 'beta', 'gamma']) await writeJob(tmp().jobsDir, id, { schedule: '@every 1h', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const base = httpBase(daemon);
    const ids = async (query: string) => rowIds((await httpRequest(`${base}/?${query}`)).text);
    expect(await ids('state=paused')).toEqual([]);
    const paused = await httpRequest(`${base}/api/jobs/beta/pause`, { method: 'POST', headers: { 'x-jobd-csrf': await csrfOf(base) } });
    expect(paused.status).toBe(200);
    expect(await ids('state=paused')).toEqual(['beta']);
    expect(await ids('state=scheduled')).toEqual(['alpha', 'gamma']);
    expect(await ids('state=paused&q=bet')).toEqual(['beta']);
    expect(await ids('state=paused&q=alp')).toEqual([]);
    const parts = (await httpRequest(`${base}/?state=paused&parts=1`)).json as { rows: string; pager: string };
    expect(rowIds(parts.rows)).toEqual(['beta']);
    expect(parts.pager).toContain('1–1 of 1');
  });

  it('issue 15: JOBD_HTTP=0 in the environment, with no --http flag, serves the page and /api/ on 127.0.0.1', async () => {
    await writeJob(tmp().jobsDir, 'quick', { schedule: '@every 1h', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir, env: { JOBD_HTTP: '0' } });
    const address = daemon.eventsOf('daemon.start')[0]!.http;
    expect(address).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
    const page = await httpRequest(`http://${address}/`);
    expect(page.status).toBe(200);
    expect(rowIds(page.text)).toEqual(['quick']);
    const jobs = await httpRequest(`http://${address}/api/jobs`);
    expect((jobs.json as Array<{ id: string }>).map((j) => j.id)).toEqual(['quick']);
  });

  it('issue 15: --metrics at the --http address is served by the same listener', async () => {
    await writeJob(tmp().jobsDir, 'quick', { schedule: '@every 1s', command: 'true' });
    const probe = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const port = new URL(httpBase(probe)).port;
    await probe.stop();
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', port, '--metrics', port] });
    const start = daemon.eventsOf('daemon.start')[0]!;
    expect(start).toMatchObject({ http: `127.0.0.1:${port}`, metrics: `127.0.0.1:${port}` });
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'quick');
    const base = `http://127.0.0.1:${port}`;
    const health = await httpRequest(`${base}/healthz`);
    expect([health.status, health.text]).toEqual([200, 'ok\n']);
    await waitFor(async () => /jobd_runs_total\{job="quick",status="ok"\} [1-9]/.test((await httpRequest(`${base}/metrics`)).text), { what: 'a counted run in /metrics' });
    expect((await httpRequest(`${base}/api/jobs`)).status).toBe(200);
  });
});
