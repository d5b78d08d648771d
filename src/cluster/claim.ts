import type { ClusterClaim, Fire, Job } from '../types.js';
import type { Database } from './connection.js';

/** A node whose clock runs ahead may not claim a fire before the database's clock reaches it, give or take this. */
const EARLIEST_MS = 2_000;

/** Everything one claim needs besides the database. */
export interface ClaimInput {
  db: Database;
  schema: string;
  fire: Fire;
  job: Job;
  hash: string;
  nodeId: string;
  owner: string;
  leaseMs: number;
}

/**
 * One statement per fire. Under the job's row lock it checks the definition hash, maxRuns,
 * and for scheduled fires the cluster-wide pause and the high-water mark (`last_fire_at <
 * instant`); that an interval's instant lies on the shared timeline, that the instant is
 * not in the database's future,
 * and (overlap `skip`) that no run of the job is running anywhere; then it bumps the
 * counters and inserts the run with its lease. The unique (job, scheduled_at, attempt)
 * key with ON CONFLICT DO NOTHING makes a second claim of the same fire return no row, and
 * the unique resume_of_row key a second resume of the same interrupted run (its row found by
 * run id and the node that ran it: this one, unless the fire says another).
 * A catch-up fire (an instant missed while the database was away) may lie behind the
 * high-water mark, since a later fire can be claimed first after reconnecting: only the
 * unique key decides it, and the mark never moves back.
 */
export async function claimFire(input: ClaimInput): Promise<ClusterClaim | null | 'unavailable'> {
  const { fire, job } = input;
  const S = input.schema;
  const onTimeline = fire.trigger === 'schedule' || fire.trigger === 'catchup';
  const every = job.schedule?.kind === 'interval' ? job.schedule.everyMs : null;
  const rows = await input.db.query<{ id: string }>(
    `WITH job AS (
       SELECT id FROM ${S}.jobd_jobs
       WHERE id = $1 AND definition_hash = $2
         AND ($3::bigint IS NULL OR run_count < $3)
         AND (NOT $4::boolean OR NOT paused)
         AND (NOT $14::boolean OR last_fire_at IS NULL OR last_fire_at < $5)
         AND (NOT $4::boolean OR $6::bigint IS NULL
              OR mod(round(extract(epoch FROM ($5::timestamptz - anchor_at)) * 1000)::bigint, $6::bigint) = 0)
         AND $5::timestamptz <= now() + $7 * interval '1 millisecond'
         AND (NOT $8::boolean OR NOT EXISTS (SELECT 1 FROM ${S}.jobd_runs r WHERE r.job = $1 AND r.status = 'running'))
       FOR UPDATE
     ), bumped AS (
       UPDATE ${S}.jobd_jobs j
       SET run_count = j.run_count + 1,
           last_fire_at = CASE WHEN $4::boolean THEN GREATEST(j.last_fire_at, $5::timestamptz) ELSE j.last_fire_at END
       FROM job WHERE j.id = job.id
       RETURNING j.id
     )
     INSERT INTO ${S}.jobd_runs (job, scheduled_at, attempt, trigger, node, owner, status, lease_until, resume_of, resume_of_row, resume_count)
     SELECT id, $5, $9, $10, $11, $12, 'running', now() + $13 * interval '1 millisecond', $15,
            (SELECT r.id FROM ${S}.jobd_runs r WHERE r.job = $1 AND r.run = $15 AND r.node = COALESCE($17, $11) ORDER BY r.id DESC LIMIT 1),
            $16
     FROM bumped
     ON CONFLICT DO NOTHING
     RETURNING id::text AS id`,
    [
      job.id, input.hash, fire.trigger === 'retry' ? null : job.maxRuns, onTimeline, new Date(fire.scheduledAt), every,
      EARLIEST_MS, job.overlap === 'skip', fire.attempt ?? 0, fire.trigger, input.nodeId, input.owner, input.leaseMs,
      fire.trigger === 'schedule', fire.resumeOf ?? null, fire.resumeOf === undefined ? 0 : (fire.resumeCount ?? 1),
      fire.resumeOfNode ?? null,
    ],
  );
  if (rows === null) return 'unavailable';
  const row = rows[0];
  return row ? { row: row.id, owner: input.owner } : null;
}
