import { lstat, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, startHostileDaemon } from '../../helpers/hostile.js';
import { startDaemon } from '../../helpers/start-daemon.js';

/** A TCP port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('hostile suite: the socket path and --metrics (issue 11)', () => {
  const tmp = useTempDir();
  const start = (...args: string[]) =>
    runCli(['start', '--jobs-dir', tmp().jobsDir, '--state-file', tmp().path('jobs_state.json'), '--no-pretty', ...args], { cwd: tmp().dir });

  it('issue 11.11: --socket naming a regular file, a directory or a symlink is exit 1 naming the path, and nothing is touched', async () => {
    await writeFile(tmp().path('notes.txt'), 'my notes\n');
    await mkdir(tmp().path('a-dir'));
    await symlink(tmp().path('notes.txt'), tmp().path('link.sock'));
    for (const [name, kind] of [['notes.txt', 'regular file'], ['a-dir', 'directory'], ['link.sock', 'symbolic link']] as const) {
      const result = await start('--socket', name);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(tmp().path(name));
      expect(result.stderr).toContain(kind);
    }
    expect(await readFile(tmp().path('notes.txt'), 'utf8')).toBe('my notes\n');
    expect((await lstat(tmp().path('a-dir'))).isDirectory()).toBe(true);
    expect((await lstat(tmp().path('link.sock'))).isSymbolicLink()).toBe(true);
  });

  it('issue 11.11: --socket equal to the state file is exit 1, and the state file is untouched, existing or not', async () => {
    const state = tmp().path('jobs_state.json');
    const missing = await start('--socket', state);
    expect(missing.code, missing.stderr).toBe(1);
    expect(missing.stderr).toMatch(/--socket is the same path as --state-file/);
    await expect(lstat(state)).rejects.toThrow();
    const saved = '{"version":1,"savedAt":"2026-01-01T00:00:00.000Z","jobs":[],"running":[]}\n';
    await writeFile(state, saved);
    for (let i = 0; i < 2; i += 1) {
      const result = await start('--socket', state);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(state);
    }
    expect(await readFile(state, 'utf8')).toBe(saved);
  });

  it('issue 11.11: on stop the socket is removed only while it is still the one jobd created', async () => {
    const target = await startHostileDaemon({ dir: tmp().dir });
    await expectStillHealthy(target);
    await rm(target.socket);
    await writeFile(target.socket, 'not yours\n');
    await expectCleanStop(target);
    expect(await readFile(target.socket, 'utf8')).toBe('not yours\n');

    await rm(target.socket);
    const again = await startHostileDaemon({ dir: tmp().dir });
    expect((await lstat(again.socket)).isSocket()).toBe(true);
    await expectCleanStop(again);
    await expect(lstat(again.socket)).rejects.toThrow();
  });

  it('issue 11.27: --metrics with a port alone, the README form, listens on 127.0.0.1 at that port', async () => {
    const port = await freePort();
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--metrics', String(port)] });
    expect(daemon.eventsOf('daemon.start')[0]).toMatchObject({ metrics: `127.0.0.1:${port}` });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await daemon.stop()).code).toBe(0);
  });

  it('issue 11.2: the metrics port answers a malformed request target and keeps serving', async () => {
    const port = await freePort();
    const target = await startHostileDaemon({ dir: tmp().dir, args: ['--metrics', String(port)] });
    for (const line of ['GET http://[ HTTP/1.1', 'GET /metrics%zz?%% HTTP/1.1', `GET /${'m'.repeat(20_000)} HTTP/1.1`]) {
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        const client = connect(port, '127.0.0.1', () => client.write(`${line}\r\nHost: jobd\r\nConnection: close\r\n\r\n`));
        client.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
        client.on('error', () => undefined);
        client.on('close', () => resolve(text));
      });
      expect(answer.split('\r\n')[0], line.slice(0, 40)).toMatch(/^HTTP\/1\.1 4\d\d /);
    }
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  });

  it('issue 11.27: --metrics values that are not [host:]port are usage errors, exit 2, naming the option', async () => {
    for (const bad of ['946:4x', '::1:9464', '70000', 'host:', '[::1]']) {
      const result = await start('--metrics', bad);
      expect(result.code, `${bad}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain('--metrics');
      expect(result.stderr).toContain(bad);
    }
  });
});
