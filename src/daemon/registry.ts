import type { Job, Loaded, Problem } from '../types.js';
import { jobDefinitionKey } from '../job/load-job-file.js';

/** What one job file currently contributes. */
interface FileEntry {
  file: string;
  /** The last valid version, still in force while the file is invalid. */
  job: Job | null;
  problems: Problem[] | null;
  /** A valid job whose id another file already holds; it takes over if that file goes. */
  waiting: Job | null;
}

/** Jobs by file and by id; the single place that decides what a file event changed. */
export interface Registry {
  files: Map<string, FileEntry>;
  owners: Map<string, string>;
  /** Ids of jobs in force that list others in `after`: every ok run looks here, so it stays small. */
  withAfter: Set<string>;
  /** Counts changes to the jobs in force, so that what is derived from all of them (the `after` cycles) is redone only after one. */
  version: number;
}

export type RegistryChange =
  | { kind: 'added'; job: Job }
  | { kind: 'updated'; job: Job; previous: Job }
  | { kind: 'unchanged'; job: Job }
  | { kind: 'removed'; job: Job }
  | { kind: 'invalid'; file: string; problems: Problem[]; keeping: Job | null }
  | { kind: 'duplicate'; job: Job; file: string; keptFile: string };

/** An empty registry. */
export function createRegistry(): Registry {
  return { files: new Map(), owners: new Map(), withAfter: new Set(), version: 0 };
}

/** Applies a file's new content (or its removal, `null`) and says what changed. */
export function applyJobFile(registry: Registry, file: string, loaded: Loaded<Job> | null): RegistryChange[] {
  if (loaded === null) return removeFile(registry, file);
  const entry = registry.files.get(file) ?? { file, job: null, problems: null, waiting: null };
  registry.files.set(file, entry);
  if (!loaded.ok) {
    entry.problems = loaded.problems;
    entry.waiting = null;
    return [{ kind: 'invalid', file, problems: loaded.problems, keeping: entry.job }];
  }
  const job = loaded.value;
  const owner = registry.owners.get(job.id);
  if (owner !== undefined && owner !== file) {
    entry.problems = null;
    entry.waiting = job;
    return [{ kind: 'duplicate', job, file, keptFile: owner }];
  }
  return activate(registry, entry, job);
}

/** Every job in force, in file order. */
export function activeJobs(registry: Registry): Job[] {
  const jobs: Job[] = [];
  for (const entry of registry.files.values()) if (entry.job) jobs.push(entry.job);
  return jobs;
}

/** The job in force for an id. */
export function jobById(registry: Registry, id: string): Job | undefined {
  const file = registry.owners.get(id);
  return file === undefined ? undefined : (registry.files.get(file)?.job ?? undefined);
}

/** The problems of every file that is invalid now. */
export function invalidFiles(registry: Registry): Problem[] {
  return [...registry.files.values()].flatMap((entry) => entry.problems ?? []);
}

/** Whether a file is known (valid or not); records of unknown files are not kept. */
export function hasFile(registry: Registry, file: string): boolean {
  return registry.files.has(file);
}

function activate(registry: Registry, entry: FileEntry, job: Job): RegistryChange[] {
  const previous = entry.job;
  entry.job = job;
  entry.problems = null;
  entry.waiting = null;
  registry.version += 1;
  registry.owners.set(job.id, entry.file);
  if (job.after.length > 0) registry.withAfter.add(job.id);
  else registry.withAfter.delete(job.id);
  if (previous === null) return [{ kind: 'added', job }];
  if (previous.id !== job.id) {
    registry.owners.delete(previous.id);
    registry.withAfter.delete(previous.id);
    return [{ kind: 'removed', job: previous }, ...promoteWaiting(registry, previous.id), { kind: 'added', job }];
  }
  if (jobDefinitionKey(previous) === jobDefinitionKey(job)) return [{ kind: 'unchanged', job }];
  return [{ kind: 'updated', job, previous }];
}

function removeFile(registry: Registry, file: string): RegistryChange[] {
  const entry = registry.files.get(file);
  registry.files.delete(file);
  if (!entry?.job) return [];
  registry.version += 1;
  registry.owners.delete(entry.job.id);
  registry.withAfter.delete(entry.job.id);
  return [{ kind: 'removed', job: entry.job }, ...promoteWaiting(registry, entry.job.id)];
}

// The file that was refused an id gets it once its holder is gone, first file name first.
function promoteWaiting(registry: Registry, id: string): RegistryChange[] {
  const next = [...registry.files.values()]
    .filter((entry) => entry.waiting?.id === id)
    .sort((a, b) => a.file.localeCompare(b.file))[0];
  if (!next?.waiting) return [];
  return activate(registry, next, next.waiting);
}
