/** Each node's definition hash per job (what `status` compares), its clock skew, and a faster last-run lookup. */
export function nodeDefinitions(S: string): string {
  return `
CREATE TABLE ${S}.jobd_node_jobs (
  node text NOT NULL,
  job text NOT NULL,
  definition_hash text NOT NULL,
  PRIMARY KEY (node, job)
);
ALTER TABLE ${S}.jobd_nodes ADD COLUMN skew_ms double precision;
CREATE INDEX jobd_runs_job_claimed ON ${S}.jobd_runs (job, claimed_at DESC);
`;
}
