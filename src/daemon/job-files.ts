import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Job, JobFileEvent, Loaded } from '../types.js';
import { loadJobFile } from '../job/load-job-file.js';
import { logEvent } from '../log/events.js';
import { isJobFileName } from '../watch/job-file-name.js';
import { entryFingerprint, PROBLEM_SETTLE_MS, SETTLE_MS, whenSettled, type Settling } from '../watch/settle.js';
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
  /**
   * The directory is watched again after it was lost: what it holds now wins. Its files
   * are read (the same job changes nothing), and jobs of files no longer there go.
   */
  rescan(): Promise<void>;
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
  // Problems wait until the file has held still for PROBLEM_SETTLE_MS and is read again,
  // so a file written in chunks, even with pauses, is never reported (or a job
  // unscheduled) half-way. A valid file is read again after SETTLE_MS, which catches a
  // change whose event never came (chokidar drops a second change within 50 ms).
  const read = (file: string, seen: string, settled: boolean): void => {
    stopSettling(file);
    const loaded = load(file);
    if (loaded.ok || settled) apply(file, loaded);
    if (settled) return;
    const onSettled = (now: string | null): void => {
      settling.delete(file);
      if (now !== seen || !loaded.ok) {
        pending.set(file, 'settled');
        if (!busy) drain();
      }
    };
    settling.set(file, whenSettled({ file, stillMs: loaded.ok ? SETTLE_MS : PROBLEM_SETTLE_MS, onSettled }));
  };

  const drain = (): void => {
    busy = true;
    while (pending.size > 0 && !ctx.stopping) {
      const [file, kind] = pending.entries().next().value as [string, JobFileEvent['kind'] | 'settled'];
      pending.delete(file);
      // Anything in the file's place (a FIFO, a dangling symlink) is read and reported, as
      // at start-up. Its fingerprint, taken before the read, tells the settled read whether
      // it changed since.
      const seen = kind === 'removed' ? null : entryFingerprint(file);
      if (seen !== null) {
        read(file, seen, kind === 'settled');
        continue;
      }
      stopSettling(file);
      // A file that vanished before its read is not an error. Only the watcher's removal
      // removes the job: it checks that the directory did not go too (README: Watching).
      if (kind === 'removed') apply(file, null);
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
    async rescan() {
      const dir = resolve(ctx.config.jobsDir);
      // Gone again before the listing: the watcher reports it, and rescans once it is back.
      const names = await jobFileNames(dir).catch(() => null);
      if (names === null || ctx.stopping) return;
      const present = new Set(names);
      for (const file of ctx.registry.files.keys()) if (!present.has(file)) pending.set(file, 'removed');
      // In slices, like the load at start-up: signals and the socket get turns in between.
      for (let start = 0; start < names.length && !ctx.stopping; start += LOAD_SLICE) {
        if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        for (const file of names.slice(start, start + LOAD_SLICE)) pending.set(file, 'changed');
        if (!busy) drain();
      }
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
