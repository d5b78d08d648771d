import { hostname } from 'node:os';
import { InvalidArgumentError, Option } from 'commander';
import type { ClusterConfig } from '../types.js';
import { parseDuration } from '../job/duration.js';

const MIN_LEASE_MS = 3_000;

/** The options of `jobd start` that make it a cluster node (README: Running on several hosts). */
export function clusterOptions(): Option[] {
  return [
    new Option('--cluster <postgres-url>', 'join a cluster sharing this PostgreSQL database').env('JOBD_CLUSTER').argParser(postgresUrl),
    new Option('--cluster-schema <name>', 'schema of the jobd_ tables').env('JOBD_CLUSTER_SCHEMA').argParser(schemaName).default('public'),
    new Option('--node-id <id>', 'this node\'s name in the cluster (default: the host name)').env('JOBD_NODE_ID').argParser(nodeId),
    new Option('--cluster-lease <duration>', 'lease of a running run; renewed every sixth of it').env('JOBD_CLUSTER_LEASE').argParser(leaseMs)
      .default(30_000, '30s'),
  ];
}

/** The cluster part of the daemon's configuration: null without `--cluster`. */
export function clusterConfig(options: Record<string, unknown>): ClusterConfig | null {
  const url = options.cluster as string | undefined;
  if (!url) return null;
  return {
    url,
    schema: options.clusterSchema as string,
    nodeId: (options.nodeId as string | undefined) ?? nodeId(hostname()),
    leaseMs: options.clusterLease as number,
  };
}

/** Option value parser: a `postgres://` or `postgresql://` URL. */
export function postgresUrl(value: string): string {
  if (!/^postgres(ql)?:\/\/\S*$/.test(value) || value.length > 2_000) {
    throw new InvalidArgumentError('expected a PostgreSQL URL such as postgres://jobd@db.internal/jobd');
  }
  return value;
}

/** Option value parser: a plain SQL identifier, as it may go unquoted into statements. */
export function schemaName(value: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(value)) {
    throw new InvalidArgumentError(`expected a schema name of lower-case letters, digits and _ (at most 63), got "${value}"`);
  }
  return value;
}

/** Option value parser: a node id, shaped like a job id. */
export function nodeId(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(value)) {
    throw new InvalidArgumentError(`expected a node id of letters, digits, _ . - (at most 64, starting with a letter or digit), got "${value}"`);
  }
  return value;
}

/** Option value parser: the lease duration, at least 3 s. */
export function leaseMs(value: string): number {
  const parsed = parseDuration(/^\d+(\.\d+)?$/.test(value) ? Number(value) : value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.message);
  if (parsed.value < MIN_LEASE_MS) throw new InvalidArgumentError(`expected a lease of at least 3s, got "${value}"`);
  return parsed.value;
}
