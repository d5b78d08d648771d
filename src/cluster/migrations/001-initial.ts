/** Nodes, the shared record of each job, and every claimed run with its lease. `S` is the quoted schema. */
export function initialSchema(S: string): string {
  return `
CREATE TABLE ${S}.jobd_nodes (
  id text PRIMARY KEY,
  session uuid NOT NULL,
  host text NOT NULL,
  version text NOT NULL,
  pid integer NOT NULL,
  started_at timestamptz NOT NULL,
  last_seen timestamptz NOT NULL
);
CREATE TABLE ${S}.jobd_jobs (
  id text PRIMARY KEY,
  definition_hash text NOT NULL,
  anchor_every_ms bigint,
  anchor_at timestamptz,
  last_fire_at timestamptz,
  run_count bigint NOT NULL DEFAULT 0,
  published_by text NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${S}.jobd_runs (
  id bigserial PRIMARY KEY,
  job text NOT NULL,
  scheduled_at timestamptz NOT NULL,
  attempt integer NOT NULL,
  trigger text NOT NULL,
  node text NOT NULL,
  owner uuid NOT NULL,
  status text NOT NULL,
  lease_until timestamptz,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  run text,
  pid integer,
  started_at timestamptz,
  ended_at timestamptz,
  exit_code integer,
  signal text,
  duration_ms double precision,
  error text,
  stdout text,
  stderr text,
  UNIQUE (job, scheduled_at, attempt)
);
CREATE INDEX jobd_runs_running_lease ON ${S}.jobd_runs (lease_until) WHERE status = 'running';
CREATE INDEX jobd_runs_running_job ON ${S}.jobd_runs (job) WHERE status = 'running';
`;
}
