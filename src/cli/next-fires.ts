import { stat } from 'node:fs/promises';
import type { Job, Loaded } from '../types.js';
import { formatProblem, loadJobFile } from '../job/load-job-file.js';
import { relativeTime } from '../format/time-span.js';
import { formatInZoneWithOffset } from '../schedule/describe-schedule.js';
import { sameSchedule } from '../schedule/same-schedule.js';
import { nextFires } from '../schedule/next-fire.js';
import { parseInstant } from '../schedule/parse-instant.js';
import { readState } from '../state/state-store.js';
import { jobFilesIn } from './job-paths.js';
import { trustRules } from './options.js';

export interface NextOptions {
  insecurePermissions?: boolean;
  followSymlinks?: boolean;
  count: number;
  jobsDir: string;
  stateFile: string;
  timezone?: string;
  from?: string;
}

/** Prints the next fires of `target` (a job file or id) and says why there are none; returns the exit code. */
export async function printNextFires(target: string, options: NextOptions): Promise<number> {
  const from = baseInstant(options);
  if (from === null) {
    process.stderr.write(`jobd next: --from: expected an ISO 8601 date-time such as "2026-12-01T03:00:00Z", got "${options.from}"\n`);
    return 2;
  }
  const loaded = await findJob(target, options);
  if (!loaded.ok) {
    for (const problem of loaded.problems) process.stderr.write(`${formatProblem(problem)}\n`);
    return 1;
  }
  const job = loaded.value;
  if (!job.schedule) {
    process.stderr.write(`${job.file}: schedule: none; ${job.id} runs only after ${job.after.join(', ')}\n`);
    return 0;
  }
  if (!job.enabled) process.stderr.write(`${job.file}: enabled: false; ${job.id} is disabled and never fires; these are the fires it would have\n`);
  if (job.schedule.kind === 'start') {
    process.stdout.write('at each daemon start (@reboot); no timed fires\n');
    return 0;
  }
  const fires = nextFires(job.schedule, from, options.count, await intervalAnchor(job, options.stateFile));
  if (fires.length === 0) process.stderr.write(`${nothingNext(job, from)}\n`);
  const zone = job.schedule.kind === 'interval' ? null : (job.schedule.timezone ?? null);
  for (const at of fires) {
    process.stdout.write(`${new Date(at).toISOString()}  ${formatInZoneWithOffset(at, zone)}  ${relativeTime(new Date(at).toISOString(), from)}\n`);
  }
  return 0;
}

// --from: an instant with its offset, or a wall time in --timezone (else the system zone); now without it.
function baseInstant(options: NextOptions): number | null {
  if (options.from === undefined) return Date.now();
  if (options.from.trim().toLowerCase() === 'now') return Date.now();
  return parseInstant(options.from.trim(), options.timezone || null);
}

// Why a schedule has no fire after `from`: a one-shot whose instant is past, or a cron that stops.
function nothingNext(job: Job, from: number): string {
  if (job.schedule?.kind === 'once') {
    const when = relativeTime(job.schedule.at, from);
    return `${job.file}: schedule: the one-shot instant ${job.schedule.at} is past (${when}); ${job.id} has nothing left to fire`;
  }
  return `${job.file}: schedule: no fire after ${new Date(from).toISOString()}`;
}

async function findJob(target: string, options: NextOptions): Promise<Loaded<Job>> {
  const defaultZone = options.timezone || null;
  const trust = trustRules(options);
  const isFile = await stat(target).then((s) => s.isFile(), () => false);
  if (isFile) return loadJobFile({ file: target, defaultZone, cwd: process.cwd(), trust });
  const { files } = await jobFilesIn([options.jobsDir]);
  for (const file of files) {
    const loaded = loadJobFile({ file, defaultZone, cwd: process.cwd(), trust });
    if (loaded.ok && loaded.value.id === target) return loaded;
  }
  const message = `no job file and no job with this id in ${options.jobsDir}`;
  return { ok: false, problems: [{ file: target, path: '', message }] };
}

// A running daemon keeps an interval's phase in the state file; show the same instants it will use.
async function intervalAnchor(job: Job, stateFile: string): Promise<number | null> {
  if (job.schedule?.kind !== 'interval') return null;
  const read = await readState(stateFile);
  const record = read.kind === 'loaded' ? read.snapshot.jobs.find((r) => r.id === job.id) : undefined;
  if (!record || !sameSchedule(record.definition?.schedule, job.schedule)) return null;
  const anchor = record.lastFireAt ?? record.nextRunAt;
  return anchor ? Date.parse(anchor) : null;
}
