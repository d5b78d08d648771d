import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJob } from './jobs.js';
import { startDaemon, type DaemonProcess, type StartDaemonOptions } from './start-daemon.js';

/** One cluster node of a test: its own dir (jobs.d, state, socket) under the test's temp dir. */
export interface ClusterNode {
  id: string;
  dir: string;
  daemon: DaemonProcess;
}

/** Makes `<root>/<id>/jobs.d` for a node, as config management would deploy it on each host. */
export async function nodeDir(root: string, id: string): Promise<string> {
  const dir = join(root, id);
  await mkdir(join(dir, 'jobs.d'), { recursive: true });
  return dir;
}

/** Writes the same job file into every node's jobs.d. */
export async function writeJobOnNodes(dirs: string[], name: string, content: object): Promise<void> {
  await Promise.all(dirs.map((dir) => writeJob(join(dir, 'jobs.d'), name, content)));
}

/** Starts `bin/jobd.js start --cluster <url> --node-id <id>` in the node's dir; `lease: null` leaves jobd's default lease. */
export async function startNode(
  options: { dir: string; id: string; url: string; lease?: string | null } & Omit<StartDaemonOptions, 'dir'>,
): Promise<ClusterNode> {
  const lease = options.lease === null ? [] : ['--cluster-lease', options.lease ?? '6s'];
  const args = ['--cluster', options.url, '--node-id', options.id, ...lease, ...(options.args ?? [])];
  const daemon = await startDaemon({ ...options, args });
  return { id: options.id, dir: options.dir, daemon };
}

/** Nodes `ids`, each with its own dir holding the same `jobs` (cwd: `root`), started against `url`. */
export async function startNodes(
  input: { root: string; url: string; ids: string[]; jobs: Record<string, object>; lease?: string | null },
): Promise<ClusterNode[]> {
  const dirs = await Promise.all(input.ids.map((id) => nodeDir(input.root, id)));
  for (const [name, job] of Object.entries(input.jobs)) await writeJobOnNodes(dirs, name, { cwd: input.root, ...job });
  return Promise.all(input.ids.map((id, i) => startNode({ dir: dirs[i]!, id, url: input.url, lease: input.lease })));
}
