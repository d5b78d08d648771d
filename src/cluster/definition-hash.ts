import { createHash } from 'node:crypto';
import type { Job } from '../types.js';

/**
 * The sha256 of a job's normalised definition, the same on every node with the same
 * job file. The file's path is left out: nodes may keep their jobs dir in different places.
 */
export function definitionHash(job: Job): string {
  const { file: _file, ...definition } = job;
  return createHash('sha256').update(canonicalJson(definition)).digest('hex');
}

// Keys sorted at every level, so two nodes that built the same job in another order agree.
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
