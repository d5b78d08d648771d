import type { Database } from './connection.js';

/** The channel every node LISTENs on; one per schema, so two clusters in one database stay apart. */
export function channelOf(schemaName: string): string {
  return `jobd_${schemaName}`;
}

/**
 * Pauses or resumes a job for the whole cluster: the flag the claim checks, then a
 * NOTIFY in the same transaction so the other nodes hear of it at once. False when the
 * database did not answer, or does not know the job.
 */
export async function writePaused(db: Database, S: string, channel: string, input: { job: string; paused: boolean }): Promise<boolean> {
  const outcome = await db.transaction(async (client) => {
    const updated = await client.query(`UPDATE ${S}.jobd_jobs SET paused = $2 WHERE id = $1 RETURNING id`, [input.job, input.paused]);
    await client.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify({ job: input.job, paused: input.paused })]);
    return (updated.rowCount ?? 0) > 0;
  });
  return outcome === true;
}

/** Asks whichever node runs the job to cancel it: a flag on the running rows, then a NOTIFY. Null when the database did not answer. */
export async function writeCancel(db: Database, S: string, channel: string, job: string): Promise<Array<{ run: string | null; node: string }> | null> {
  const outcome = await db.transaction(async (client) => {
    const rows = await client.query<{ run: string | null; node: string }>(
      `UPDATE ${S}.jobd_runs SET cancel_requested = true WHERE job = $1 AND status = 'running' RETURNING run, node`,
      [job],
    );
    await client.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify({ job, cancel: true })]);
    return rows.rows;
  });
  return Array.isArray(outcome) ? outcome : null;
}

/** What the cluster wants of this node now: which jobs are paused, how many runs each has had, which of its runs to cancel. */
export interface ControlState {
  paused: Map<string, boolean>;
  runCounts: Map<string, number>;
  cancel: string[];
}

export async function readControl(db: Database, S: string, nodeId: string): Promise<ControlState | null> {
  const jobs = await db.query<{ id: string; paused: boolean; run_count: string }>(
    `SELECT id, paused, run_count FROM ${S}.jobd_jobs ORDER BY id LIMIT 100000`,
    [],
  );
  if (jobs === null) return null;
  const cancel = await db.query<{ owner: string }>(
    `SELECT owner::text AS owner FROM ${S}.jobd_runs WHERE node = $1 AND status = 'running' AND cancel_requested LIMIT 10000`,
    [nodeId],
  );
  if (cancel === null) return null;
  return {
    paused: new Map(jobs.map((j) => [j.id, j.paused])),
    runCounts: new Map(jobs.map((j) => [j.id, Number(j.run_count)])),
    cancel: cancel.map((r) => r.owner),
  };
}
