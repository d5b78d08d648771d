/**
 * Resuming a reaped run: the run it resumes, by run id and by row (run ids are counted per
 * node, rows are not: at most one resume per interrupted row, across every node), and how
 * many resumes in a row it makes; each job's last checkpoint, bounded.
 */
export function resumeRuns(S: string): string {
  return `
ALTER TABLE ${S}.jobd_runs ADD COLUMN resume_of text, ADD COLUMN resume_of_row bigint, ADD COLUMN resume_count integer NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX jobd_runs_resume_of_row ON ${S}.jobd_runs (resume_of_row) WHERE resume_of_row IS NOT NULL;
CREATE TABLE ${S}.jobd_checkpoints (
  job text PRIMARY KEY,
  bytes bytea NOT NULL CHECK (length(bytes) <= 1048576),
  updated_at timestamptz NOT NULL DEFAULT now()
);
`;
}
