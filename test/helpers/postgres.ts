import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

const run = promisify(execFile);

/** A real PostgreSQL server of this test file, on a Unix socket in its own temp dir. */
export interface TestPostgres {
  /** `postgres://postgres@<socket dir>/postgres`, for `--cluster`. */
  url: string;
  /** One statement with parameters, on a fresh connection. */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  /** `pg_ctl stop -m immediate`: what a crash or a pulled cable looks like to clients. */
  stopImmediately(): Promise<void>;
  start(): Promise<void>;
}

/** The newest Debian PostgreSQL binaries (`/usr/lib/postgresql/<major>/bin`), or null when none is installed. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root).filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')));
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  return newest === undefined ? null : join(root, newest, 'bin');
}

/** Starts a PostgreSQL server before the file's tests and removes it after them. */
export function usePostgres(): () => TestPostgres {
  let server: TestPostgres | undefined;
  let remove: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const started = await startPostgres();
    server = started.server;
    remove = started.remove;
  }, 60_000);
  afterAll(async () => {
    await remove?.();
    server = undefined;
  }, 30_000);
  return () => {
    if (!server) throw new Error('PostgreSQL used outside its test file');
    return server;
  };
}

async function startPostgres(): Promise<{ server: TestPostgres; remove: () => Promise<void> }> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install -y postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'jobd-pg-'));
  const dataDir = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // PostgreSQL refuses to run as root; the server runs as `postgres` in a dir it owns.
    const { uid, gid } = await postgresIds();
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const pgRun = (program: string, args: string[]) => {
    const file = join(bin, program);
    return asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args);
  };
  await pgRun('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  // fsync=off spares the disk; commits are still written before they are acknowledged, so a
  // `pg_ctl -m immediate stop` (a crashed server) keeps every committed claim, as a real one does.
  const options = `-c listen_addresses='' -c unix_socket_directories=${dir} -c fsync=off -c full_page_writes=off -c max_connections=200`;
  const start = async () => {
    await pgRun('pg_ctl', ['-D', dataDir, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '30', 'start']);
  };
  const stop = async (mode: 'fast' | 'immediate') => {
    await pgRun('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
  };
  await start();
  const url = `postgres://postgres@${encodeURIComponent(dir)}/postgres`;
  const server: TestPostgres = {
    url,
    query: async (text, values) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    stopImmediately: () => stop('immediate'),
    start,
  };
  const remove = async () => {
    // A test may have left the server stopped; removing it then is all that is left to do.
    await stop('immediate').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  return { server, remove };
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
