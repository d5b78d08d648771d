import { commandWithArgs } from '../format/run-outcome.js';

/** One log event as a line for people: `[time] what happened`. */
export function prettyLine(event: Record<string, unknown>, color = false): string {
  const time = typeof event.time === 'string' ? event.time : new Date().toISOString();
  const text = describe(event);
  const line = `[${time}] ${text}`;
  if (!color) return line;
  const level = String(event.level);
  if (level === 'error' || level === 'fatal') return `\x1b[31m${line}\x1b[0m`;
  if (level === 'warn') return `\x1b[33m${line}\x1b[0m`;
  if (event.event === 'run.output') return `\x1b[2m${line}\x1b[0m`;
  return line;
}

const s = (v: unknown): string => (v === null || v === undefined ? '-' : String(v));

function seconds(ms: unknown): string {
  if (typeof ms !== 'number') return '-';
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function describe(e: Record<string, unknown>): string {
  switch (e.event) {
    case 'daemon.start':
      return `jobd ${s(e.version)} started (pid ${s(e.pid)}): ${s(e.jobs)} jobs from ${s(e.jobsDir)}, ${s(e.invalid)} invalid`;
    case 'daemon.stop':
      return `jobd stopped (${s(e.signal)}), ${s(e.interrupted)} runs interrupted`;
    case 'job.loaded':
      return `Loaded job ${s(e.job)} (${s(e.schedule)}), next run ${s(e.nextRunAt)}`;
    case 'job.updated':
      return `Updated job ${s(e.job)} (${s(e.schedule)}), next run ${s(e.nextRunAt)}`;
    case 'job.removed':
      return `Removed job ${s(e.job)} (${s(e.file)} deleted)`;
    case 'job.invalid': {
      const where = e.path ? `${s(e.file)}: ${s(e.path)}` : s(e.file);
      const keeping = e.keeping ? ` (keeping the last valid version of ${s(e.keeping)})` : '';
      return `Invalid job file ${where}: ${s(e.message)}${keeping}`;
    }
    case 'job.duplicate':
      return `Ignored ${s(e.file)}: job id ${s(e.job)} is already declared by ${s(e.keptFile)}`;
    case 'job.warning':
      return `Warning for job file ${s(e.file)}${e.path ? `: ${s(e.path)}` : ''}: ${s(e.message)}`;
    case 'run.start':
      return `Started job ${s(e.job)} (${s(e.run)}, ${s(e.trigger)}): ${commandWithArgs(s(e.command), Array.isArray(e.args) ? e.args.map(String) : [])}`;
    case 'run.output':
      return `  ${s(e.job)} ${e.stream === 'stderr' ? '!' : '|'} ${s(e.line)}`;
    case 'run.end': {
      const detail = e.error ? `, ${s(e.error)}` : e.status === 'failed' ? `, exit ${s(e.exitCode ?? e.signal)}` : '';
      return `Executed job ${s(e.job)}: ${commandWithArgs(s(e.command), Array.isArray(e.args) ? e.args.map(String) : [])} (${s(e.status)}, ${seconds(e.durationMs)}${detail})`;
    }
    case 'run.timeout':
      return `Job ${s(e.job)} (${s(e.run)}) timed out after ${seconds(e.timeoutMs)}; sent ${s(e.signal)}`;
    case 'run.skipped':
      return `Skipped job ${s(e.job)} at ${s(e.scheduledAt)}: ${s(e.reason)}${e.runningRun ? ` (${s(e.runningRun)} still running)` : ''}`;
    case 'run.late':
      return `Job ${s(e.job)} (${s(e.run)}) started ${seconds(e.lateMs)} late (${s(e.reason)}); due ${s(e.scheduledAt)}`;
    case 'run.missed':
      return `Job ${s(e.job)} missed ${s(e.count)}${e.truncated ? '+' : ''} fires from ${s(e.first)} to ${s(e.last)}`;
    case 'daemon.stopping':
      return `Stopping (${s(e.signal)}): waiting up to ${seconds(e.graceMs)} for ${Array.isArray(e.runs) && e.runs.length > 0 ? e.runs.join(', ') : 'no runs'}`;
    case 'hook.output':
      return `  ${s(e.job)} ${s(e.hook)} ${e.stream === 'stderr' ? '!' : '|'} ${s(e.line)}`;
    case 'hook.end':
      return `Hook ${s(e.hook)} of ${s(e.job)} (${s(e.run)}) ended: ${e.signal ? `killed by ${s(e.signal)}` : `exit ${s(e.exitCode)}`}, ${seconds(e.durationMs)}${e.error ? `, ${s(e.error)}` : ''}`;
    case 'daemon.signal':
      return `Ignored ${s(e.signal)}${e.count === 1 ? '' : ` (${s(e.count)} times)`}`;
    case 'watch.lost':
      return `Lost the jobs directory ${s(e.path)}: ${s(e.reason)}; its jobs keep running until it is back`;
    case 'watch.restored':
      return `Watching the jobs directory ${s(e.path)} again`;
    case 'state.saved':
      return `Saved state of ${s(e.jobs)} jobs to ${s(e.file)}`;
    case 'state.other_jobs_dir':
      return `State file ${s(e.file)} was saved for the jobs directory ${s(e.savedJobsDir)}, not ${s(e.jobsDir)}: jobs with the same id share run counters and history`;
    case 'state.corrupt':
      return `State file ${s(e.file)} is corrupt (${s(e.reason)}); moved to ${s(e.movedTo)}`;
    default:
      return `${s(e.event ?? e.msg)} ${s(e.message ?? e.msg)}${e.job ? ` job=${s(e.job)}` : ''}${e.path ? ` path=${s(e.path)}` : ''}`;
  }
}
