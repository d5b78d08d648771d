import type pg from 'pg';
import { connectDatabase, type Database } from './connection.js';
import { MIGRATIONS } from './migrations/index.js';

/** The schema as it goes into SQL text: checked to be a plain identifier, then quoted. */
export function quotedSchema(schema: string): string {
  if (!isSchemaName(schema)) throw new Error(`not a plain SQL identifier: ${schema}`);
  return `"${schema}"`;
}

/** Whether `name` is a schema name jobd accepts: lower-case letters, digits and `_`, up to 63. */
export function isSchemaName(name: string): boolean {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(name);
}

/**
 * Brings the schema up to the newest migration. A transaction-scoped advisory lock makes
 * nodes that start together migrate one at a time; it ends with the transaction, so a
 * lost session cannot keep it. Says which versions it applied, or what went wrong.
 */
export async function migrate(db: Database, schema: string): Promise<{ ok: true; applied: number[] } | { ok: false; message: string }> {
  const S = quotedSchema(schema);
  const outcome = await db.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`jobd migrations ${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${S}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${S}.jobd_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    return applyMissing(client, S);
  });
  if ('error' in outcome) return { ok: false, message: `could not migrate schema ${schema}: ${outcome.error}` };
  return { ok: true, applied: outcome };
}

async function applyMissing(client: pg.PoolClient, S: string): Promise<number[]> {
  const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${S}.jobd_migrations`)).rows.map((r) => r.version));
  const newest = Math.max(0, ...done);
  const known = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  if (newest > known) throw new Error(`the database is at schema version ${newest}, newer than this jobd knows (${known}): upgrade jobd`);
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue;
    await client.query(migration.sql(S));
    await client.query(`INSERT INTO ${S}.jobd_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
    applied.push(migration.version);
  }
  return applied;
}

/** `jobd db migrate`: connects, migrates and disconnects; says which versions it applied and the newest. */
export async function migrateDatabase(input: { url: string; schema: string }): Promise<{ ok: true; applied: number[]; version: number } | { ok: false; message: string }> {
  // The outcome carries the error; there is no log to report an outage to.
  const db = connectDatabase({ url: input.url, nodeId: 'migrate', report: () => undefined });
  try {
    const migrated = await migrate(db, input.schema);
    return migrated.ok ? { ...migrated, version: MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0 } : migrated;
  } finally {
    await db.end();
  }
}
