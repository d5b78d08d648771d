import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Job, JobFileEvent, Loaded } from '../types.js';
import { loadJobFile } from '../job/load-job-file.js';
import { isJobFileName } from '../watch/job-file-name.js';
import type { DaemonContext } from './context.js';
import { applyChanges } from './job-changes.js';
import { applyJobFile } from './registry.js';

/** Loads job files into the registry: all at start, then one event at a time. */
export interface JobFileLoader {
  /** Every job file of the directory, applied in alphabetical order. */
  loadAll(): Promise<void>;
  /** A watcher event; events are applied in arrival order, the latest per file winning. */
  onEvent(event: JobFileEvent): void;
}

/** A loader bound to the daemon's registry and schedule. */
export function createJobFileLoader(ctx: DaemonContext): JobFileLoader {
  const pending = new Map<string, JobFileEvent['kind']>();
  let busy = true;
  const load = (file: string): Promise<Loaded<Job>> =>
    loadJobFile({ file, defaultZone: ctx.config.timezone, cwd: ctx.config.cwd, trust: ctx.config });

  const drain = async (): Promise<void> => {
    busy = true;
    while (pending.size > 0 && !ctx.stopping) {
      const [file, kind] = pending.entries().next().value as [string, JobFileEvent['kind']];
      pending.delete(file);
      // A file can vanish between its event and its read; that is a removal, not an error.
      const exists = kind !== 'removed' && (await isFile(file));
      const loaded = exists ? await load(file) : null;
      applyChanges(ctx, applyJobFile(ctx.registry, file, loaded));
    }
    busy = false;
  };

  return {
    async loadAll() {
      const dir = resolve(ctx.config.jobsDir);
      const names = (await readdir(dir, { withFileTypes: true }))
        .filter((entry) => !entry.isDirectory() && isJobFileName(entry.name))
        .map((entry) => join(dir, entry.name))
        .sort();
      // Reads run in parallel; results apply in name order so the first file keeps a duplicate id.
      const loaded = await mapLimited(names, READ_CONCURRENCY, load);
      names.forEach((file, i) => applyChanges(ctx, applyJobFile(ctx.registry, file, loaded[i]!)));
      await drain();
    },
    onEvent(event) {
      pending.set(event.file, event.kind);
      if (!busy) void drain();
    },
  };
}

/**
 * Files read at once during the initial load: enough to keep the disk busy,
 * few enough to stay far below a 1024 open-files limit.
 */
const READ_CONCURRENCY = 64;

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
