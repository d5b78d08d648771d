import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Job, JobFileEvent, Loaded } from '../types.js';
import { loadJobFile } from '../job/load-job-file.js';
import { logEvent } from '../log/events.js';
import { isJobFileName } from '../watch/job-file-name.js';
import { fileFingerprint, whenSettled, type Settling } from '../watch/settle.js';
import type { DaemonContext } from './context.js';
import { applyChanges } from './job-changes.js';
import { applyJobFile } from './registry.js';
import { prepareEntries } from './snapshot-of.js';

/** Loads job files into the registry: all at start, then one event at a time. */
export interface JobFileLoader {
  /** Every job file of the directory, applied in alphabetical order. */
  loadAll(): Promise<void>;
  /** A watcher event; events are applied in arrival order, the latest per file winning. */
  onEvent(event: JobFileEvent): void;
}

/** A loader bound to the daemon's registry and schedule. */
export function createJobFileLoader(ctx: DaemonContext): JobFileLoader {
  // `settled`: the file has held still since its last read and is read for good.
  const pending = new Map<string, JobFileEvent['kind'] | 'settled'>();
  const settling = new Map<string, Settling>();
  let busy = true;
  // Warnings are logged with each read that is taken, valid or not, so a fix is never waited for in silence.
  const load = (file: string): Loaded<Job> =>
    loadJobFile({ file, defaultZone: ctx.config.timezone, cwd: ctx.config.cwd, trust: ctx.config });
  const warn = (loaded: Loaded<Job>): void => {
    for (const { file, path, message } of loaded.warnings ?? []) logEvent(ctx.logger, 'job.warning', { file, path, message });
  };
  const apply = (file: string, loaded: Loaded<Job> | null): void => {
    if (loaded) warn(loaded);
    if (applyChanges(ctx, applyJobFile(ctx.registry, file, loaded))) ctx.store.saveSoon();
  };
  const stopSettling = (file: string): void => {
    settling.get(file)?.cancel();
    settling.delete(file);
  };

  // A file is read as soon as it changes. A valid job is taken at once: a writer's
  // half-written file is never one, since no prefix of a JSON object is a JSON object.
  // Problems wait until the file has held still and is read again, so a file written in
  // chunks is never reported (or a job unscheduled) half-way. The settled read also
  // catches a change whose event never came (chokidar drops a second change within 50 ms).
  const read = (file: string, seen: string, settled: boolean): void => {
    stopSettling(file);
    const loaded = load(file);
    if (loaded.ok || settled) apply(file, loaded);
    if (settled) return;
    settling.set(file, whenSettled(file, (now) => {
      settling.delete(file);
      if (now !== seen || !loaded.ok) {
        pending.set(file, 'settled');
        if (!busy) drain();
      }
    }));
  };

  const drain = (): void => {
    busy = true;
    while (pending.size > 0 && !ctx.stopping) {
      const [file, kind] = pending.entries().next().value as [string, JobFileEvent['kind'] | 'settled'];
      pending.delete(file);
      // A file can vanish between its event and its read; that is a removal, not an error.
      // Its fingerprint, taken before the read, tells the settled read whether it changed since.
      const seen = kind === 'removed' ? null : fileFingerprint(file);
      if (seen !== null) {
        read(file, seen, kind === 'settled');
        continue;
      }
      stopSettling(file);
      apply(file, null);
    }
    busy = false;
  };

  return {
    async loadAll() {
      const names = await jobFileNames(resolve(ctx.config.jobsDir));
      // In name order, so the first file keeps a duplicate id; a turn of the event loop
      // between slices lets a signal or the control socket in during a long load. No save
      // per file: the daemon saves once the load is done, instead of saving a growing part
      // of it every 250 ms (seconds of work for 10,000 jobs). Runs still save as they go.
      for (let start = 0; start < names.length && !ctx.stopping; start += LOAD_SLICE) {
        if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const ids: string[] = [];
        for (const file of names.slice(start, start + LOAD_SLICE)) {
          const loaded = load(file);
          warn(loaded);
          const changes = applyJobFile(ctx.registry, file, loaded);
          applyChanges(ctx, changes);
          for (const change of changes) if (change.kind === 'added' || change.kind === 'updated') ids.push(change.job.id);
        }
        // Each job's state-file entry is serialized as it comes in, so the save after the load copies bytes.
        prepareEntries(ctx, ids);
      }
      if (!ctx.stopping) ctx.loading = false;
      drain();
    },
    onEvent(event) {
      pending.set(event.file, event.kind);
      if (!busy) drain();
    },
  };
}

/** Job files read and applied between two turns of the event loop: a few milliseconds of work. */
const LOAD_SLICE = 64;

async function jobFileNames(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => !entry.isDirectory() && isJobFileName(entry.name))
    .map((entry) => join(dir, entry.name))
    .sort();
}
