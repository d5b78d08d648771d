import type { Command, Job, JobStatus, RunRecord, RunResult } from '../types.js';
import { localStamp } from '../format/local-time.js';
import { isFailure, runOutcome } from '../format/run-outcome.js';
import { relativeTime, shortSpan } from '../format/time-span.js';
import { scheduleWithWords } from '../format/schedule-text.js';
import { nextFires } from '../schedule/next-fire.js';
import { alignRows } from './status-cluster.js';
import { red } from '../format/color.js';

/** What `GET /jobs/:id` answers; `checkpoint` only from daemons that keep one. */
export type JobDetail = JobStatus & {
  definition: Job | null;
  history: RunRecord[];
  checkpoint?: { bytes: number; modifiedAt: string } | null;
  /** With `--cluster`, while the database is away: the history could not be read. */
  historyStale?: boolean;
};

const NEXT_FIRES = 5;
const LAST_RUNS = 5;
const TAIL_LINES = 10;

/** One job in detail, like `systemctl status x.timer`: what it is, when it fires, how its last runs went, what the last one printed. */
export function jobStatusText(job: JobDetail, now: number, color = false): string {
  const def = job.definition ?? null;
  // A daemon of another version may leave a list out; show what there is.
  const history = Array.isArray(job.history) ? job.history : [];
  const head = def?.description ? `${job.id} - ${def.description}` : job.id;
  const fields: Array<[string, string]> = [
    ['File', job.file],
    ['Schedule', job.schedule ? scheduleWithWords(job.schedule, job.scheduleWords) : def?.after?.length ? `after ${def.after.join(', ')}` : '-'],
    ['State', `${job.state}${job.running?.length > 0 ? ` (${job.running.join(', ')})` : ''}, ${job.runCount} runs`],
    ...commandFields(def),
  ];
  if (job.checkpoint !== undefined) fields.push(['Checkpoint', checkpointText(job.checkpoint, now)]);
  const fires = upcoming(job, def, now);
  fields.push(['Next', fires[0] ?? '-'], ...fires.slice(1).map((f): [string, string] => ['', f]));
  const width = Math.max(...fields.map(([name]) => name.length)) + 1;
  const lines = [head, ...fields.map(([name, value]) => `${(name === '' ? '' : `${name}:`).padStart(width)} ${value}`)];
  for (const problem of job.problems ?? []) lines.push(`invalid: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`);
  if (job.historyStale === true) lines.push('', 'The cluster database is unavailable: runs of this node only.');
  lines.push('', ...runLines(history, color), ...tailLines(history));
  return `${lines.join('\n')}\n`;
}

function commandFields(def: Job | null): Array<[string, string]> {
  if (def === null) return [];
  const fields: Array<[string, string]> = [['Command', commandOf(def.command)]];
  if (def.args?.length > 0) fields.push(['Args', JSON.stringify(def.args)]);
  if (def.timeoutMs !== null) fields.push(['Timeout', shortSpan(def.timeoutMs)]);
  return fields;
}

function commandOf(command: Command): string {
  return 'shell' in command ? `sh -c ${JSON.stringify(command.shell)}` : JSON.stringify(command.argv);
}

function checkpointText(checkpoint: { bytes: number; modifiedAt: string } | null, now: number): string {
  if (checkpoint === null) return 'none';
  return `${checkpoint.bytes} bytes, written ${localStamp(Date.parse(checkpoint.modifiedAt))} (${relativeTime(checkpoint.modifiedAt, now)})`;
}

function upcoming(job: JobStatus, def: Job | null, now: number): string[] {
  if (job.nextRunAt === null) return [];
  const first = Date.parse(job.nextRunAt);
  if (Number.isNaN(first)) return [job.nextRunAt];
  const later = def?.schedule ? nextFires(def.schedule, first, NEXT_FIRES - 1, first) : [];
  return [first, ...later].map((at) => `${localStamp(at)} (${relativeTime(new Date(at).toISOString(), now)})`);
}

function runLines(history: RunRecord[], color: boolean): string[] {
  if (history.length === 0) return ['No runs yet.'];
  const runs = history.slice(-LAST_RUNS);
  const withNode = runs.some((r) => 'node' in r && r.node !== undefined);
  const header = ['RUN', 'RESULT', 'STARTED', 'DURATION', 'TRIGGER', ...(withNode ? ['NODE'] : [])];
  const rows = runs.map((r) => [
    r.run, runOutcome(r), localStamp(Date.parse(r.status === 'skipped' ? r.scheduledAt : r.startedAt)),
    r.status === 'skipped' ? '-' : shortSpan(r.durationMs), r.trigger, ...(withNode ? [('node' in r && r.node) || '-'] : []),
  ]);
  const lines = alignRows([header, ...rows]);
  const painted = lines.map((line, i) => (color && i > 0 && isFailure(runs[i - 1]!.status) ? red(line) : line));
  return [`Last runs (${runs.length} of ${history.length}):`, ...painted.map((line) => `  ${line}`)];
}

function tailLines(history: RunRecord[]): string[] {
  const last = [...history].reverse().find((r): r is RunResult => r.status !== 'skipped');
  if (!last) return [];
  const out = lastLines(last.stdout ?? '').map((line) => `  | ${line}`);
  const err = lastLines(last.stderr ?? '').map((line) => `  ! ${line}`);
  if (out.length + err.length === 0) return ['', `Output of ${last.run}: none`];
  return ['', `Output of ${last.run} (last ${TAIL_LINES} lines of each stream; ! is stderr):`, ...out, ...err];
}

function lastLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-TAIL_LINES);
}
