import pg from 'pg';
import { asError, errorField, errorMessage } from '../format/error-message.js';
import type { ClusterReport } from '../types.js';

/** Every statement is bounded on the server; the client gives up a little later. */
const STATEMENT_TIMEOUT_MS = 5_000;
const QUERY_TIMEOUT_MS = 7_000;
const CONNECT_TIMEOUT_MS = 3_000;
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

/** Parameterised statements against the cluster database; failures are values, never throws. */
export interface Database {
  /** The rows, or null when the database could not answer (reported as `unavailable`, with backoff). */
  query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[] | null>;
  /** Runs `work` in one transaction on one connection; null when it failed. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T | { error: string }>;
  end(): Promise<void>;
}

/**
 * A small pool with keepAlive and timeouts. pg.Pool destroys a client whose query
 * failed instead of handing it out again, so a broken connection is replaced by a new one.
 */
export function connectDatabase(input: { url: string; nodeId: string; report: (report: ClusterReport) => void }): Database {
  const pool = new pg.Pool({
    connectionString: input.url,
    max: 4,
    keepAlive: true,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 10_000,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    application_name: `jobd ${input.nodeId}`.slice(0, 63),
  });
  const outage = createOutageReporter(input.report);
  // An idle connection dropped by the server is removed by the pool; without a listener it would crash the process.
  pool.on('error', (error) => outage.failed(error));
  return {
    async query(text, values) {
      try {
        const result = await pool.query(text, values);
        outage.succeeded();
        return result.rows;
      } catch (error) {
        outage.failed(error);
        return null;
      }
    },
    async transaction(work) {
      let client: pg.PoolClient | undefined;
      try {
        client = await pool.connect();
        await client.query('BEGIN');
        const value = await work(client);
        await client.query('COMMIT');
        client.release();
        outage.succeeded();
        return value;
      } catch (error) {
        // A failed connection is destroyed (release with an error), never reused.
        client?.release(asError(error));
        outage.failed(error);
        return { error: messageOf(error) };
      }
    },
    end: () => pool.end(),
  };
}

/** Reports the first failure at once, then at most once per doubling backoff; and the recovery. */
function createOutageReporter(report: (report: ClusterReport) => void) {
  let downSince: number | null = null;
  let nextReportAt = 0;
  let backoff = FIRST_BACKOFF_MS;
  return {
    failed(error: unknown): void {
      const now = Date.now();
      downSince ??= now;
      if (now < nextReportAt) return;
      report({ kind: 'unavailable', message: messageOf(error), nextReportInMs: backoff });
      nextReportAt = now + backoff;
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    },
    succeeded(): void {
      if (downSince === null) return;
      report({ kind: 'available', downMs: Date.now() - downSince });
      downSince = null;
      nextReportAt = 0;
      backoff = FIRST_BACKOFF_MS;
    },
  };
}

/** An error in one line, whatever was thrown. */
export function messageOf(error: unknown): string {
  const text = errorMessage(error) || errorField(error, 'code') || errorField(error, 'name') || 'unknown error';
  return text.split('\n')[0]!.slice(0, 500);
}
