import type { CheckpointStore, ClusterClaim } from '../types.js';
import type { Database } from './connection.js';

/** The largest checkpoint kept in the database, as on one host (and as the table's CHECK says). */
const MAX_BYTES = 1024 * 1024;

/** Keeps the checkpoints of this node's resumable runs in the database, so another node can resume them. */
export interface CheckpointSync {
  /** A claimed run of a job with `onInterrupted: "resume"`: its checkpoint is uploaded from now on. */
  follow(claim: ClusterClaim, job: string): void;
  /** Uploads every followed run's checkpoint that changed (size or mtime) since its last upload. */
  uploadChanged(): Promise<void>;
  /** The run ends: `ok` (or a checkpoint over 1 MiB) clears the job's checkpoint in the database, anything else uploads it a last time. */
  settle(claim: ClusterClaim, ok: boolean): Promise<void>;
  /** A claimed run that never started: nothing of it to upload. */
  forget(claim: ClusterClaim): void;
  /** Before a resume starts here: the database's checkpoint of the job replaces the local file. */
  download(job: string): Promise<string | null>;
}

interface Followed {
  claim: ClusterClaim;
  job: string;
  seen: string | null;
}

/**
 * Every write is fenced by the run's owner token and `status = 'running'`: a node whose run
 * was reaped cannot overwrite the checkpoint that the resuming node is working from.
 */
export function createCheckpointSync(input: { db: Database; S: string; checkpoints: CheckpointStore }): CheckpointSync {
  const { db, S, checkpoints } = input;
  const followed = new Map<string, Followed>();

  const upload = async (entry: Followed): Promise<void> => {
    const info = await checkpoints.stat(entry.job);
    const seen = info === null ? null : `${info.bytes}:${info.modifiedAt}`;
    if (seen === null || seen === entry.seen) return;
    const bytes = await checkpoints.read(entry.job, MAX_BYTES).catch(() => null);
    // Too large or unreadable: the database keeps the last checkpoint that was neither.
    if (bytes === null) return;
    const rows = await db.query(
      `INSERT INTO ${S}.jobd_checkpoints (job, bytes)
       SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM ${S}.jobd_runs WHERE id = $3 AND owner = $4 AND status = 'running')
       ON CONFLICT (job) DO UPDATE SET bytes = EXCLUDED.bytes, updated_at = now() RETURNING job`,
      [entry.job, bytes, entry.claim.row, entry.claim.owner],
    );
    if (rows !== null) entry.seen = seen;
  };

  return {
    follow: (claim, job) => void followed.set(claim.owner, { claim, job, seen: null }),
    forget: (claim) => void followed.delete(claim.owner),
    async uploadChanged() {
      for (const entry of [...followed.values()]) await upload(entry);
    },
    async settle(claim, ok) {
      const entry = followed.get(claim.owner);
      if (!entry) return;
      followed.delete(claim.owner);
      const info = ok ? null : await checkpoints.stat(entry.job);
      // Bounded as on one host: a checkpoint too large at the end is not kept, here either.
      if (!ok && (info === null || info.bytes <= MAX_BYTES)) return upload(entry);
      await db.query(
        `DELETE FROM ${S}.jobd_checkpoints WHERE job = $1
         AND EXISTS (SELECT 1 FROM ${S}.jobd_runs WHERE id = $2 AND owner = $3 AND status = 'running')`,
        [entry.job, claim.row, claim.owner],
      );
    },
    async download(job) {
      const rows = await db.query<{ bytes: Buffer }>(`SELECT bytes FROM ${S}.jobd_checkpoints WHERE job = $1`, [job]);
      const bytes = rows?.[0]?.bytes;
      return bytes === undefined ? null : checkpoints.write(job, bytes);
    },
  };
}
