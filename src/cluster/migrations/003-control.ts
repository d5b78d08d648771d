/** Cluster-wide pause and cancel: a flag on the job, a request on the run. */
export function controlFlags(S: string): string {
  return `
ALTER TABLE ${S}.jobd_jobs ADD COLUMN paused boolean NOT NULL DEFAULT false;
ALTER TABLE ${S}.jobd_runs ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false;
`;
}
