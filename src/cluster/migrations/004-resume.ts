/**
 * Resuming a reaped run: the run it resumes (at most one resume per interrupted run, across
 * every node) and how many resumes in a row it makes; each job's last checkpoint, bounded.
 */
export function resumeRuns(S: string): string {
  return `
ALTER TABLE ${S}.jobd_runs ADD COLUMN resume_of text, ADD COLUMN resume_count integer NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX jobd_runs_resume_of ON ${S}.jobd_runs (job, resume_of) WHERE resume_of IS NOT NULL;
CREATE TABLE ${S}.jobd_checkpoints (
  job text PRIMARY KEY,
  bytes bytea NOT NULL CHECK (length(bytes) <= 1048576),
  updated_at timestamptz NOT NULL DEFAULT now()
);
`;
}
