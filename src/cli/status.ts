import { Command } from 'commander';
import type { DaemonStatus, JobStatus } from '../types.js';
import { localStamp } from '../format/local-time.js';
import { isFailure, runOutcome } from '../format/run-outcome.js';
import { shortSpan } from '../format/time-span.js';
import type { LocationOptions } from './options.js';
import { ask, askThrough, withLocation } from './client-options.js';
import { alignRows, clusterLines, lastRunOnNode } from './status-cluster.js';
import type { JobDetail } from './status-job.js';
import { red } from '../format/color.js';


/** `jobd status [id] [--json]`: the daemon and a table of its jobs, or one job in detail. */
export function statusCommand(done: (code: number) => void): Command {
  return withLocation(
    new Command('status').description('daemon and jobs table, or one job in detail (needs a running daemon)').argument('[id]', 'a job id').option('--json', 'print JSON'),
  ).action(async (id: string | undefined, options: LocationOptions & { json?: boolean }) => {
    const path = id === undefined ? '/status' : `/jobs/${encodeURIComponent(id)}`;
    if (options.json) return done((await askThrough(options, path)) ? 0 : 1);
    const body = await ask(options, 'GET', path);
    if (body === null) return done(1);
    const color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
    if (id === undefined) process.stdout.write(statusTable(body as DaemonStatus, Date.now(), color));
    else {
      // One job's next fires need croner: loaded only here, so the table and --json start without it.
      const { jobStatusText } = await import('./status-job.js');
      process.stdout.write(jobStatusText(body as JobDetail, Date.now(), color));
    }
    done(0);
  });
}

/** The status as text: a header line, then one aligned row per job, in the columns of `systemctl list-timers`. */
export function statusTable(status: DaemonStatus, now: number, color = false): string {
  const header = `jobd ${status.version}, pid ${status.pid}, up ${shortSpan(status.uptimeMs)}, ${status.jobs.length} jobs, ${status.running.length} running`;
  const cells = status.jobs.map((job) => row(job, now, status));
  const lines = alignRows([['JOB', 'SCHEDULE', 'STATE', 'NEXT', 'LEFT', 'LAST', 'PASSED', 'RESULT'], ...cells.map((c) => c.cells)]);
  const painted = lines.map((line, i) => (color && i > 0 && cells[i - 1]!.failed ? red(line) : line));
  const problems = status.invalidFiles.map((p) => `invalid: ${p.file}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
  const cluster = status.cluster ? clusterLines(status.cluster, now, shortSpan) : [];
  return `${[header, ...cluster, ...painted, ...problems].join('\n')}\n`;
}

function row(job: JobStatus, now: number, status: DaemonStatus): { cells: string[]; failed: boolean } {
  const nextAt = job.nextRunAt === null ? null : Date.parse(job.nextRunAt);
  const next = nextAt === null ? ['-', '-'] : [localStamp(nextAt), shortSpan(nextAt - now)];
  const onNode = status.cluster ? lastRunOnNode(status.cluster, job.id) : null;
  const last = onNode ?? (job.lastRun ? { at: job.lastRun.scheduledAt, result: runOutcome(job.lastRun), status: job.lastRun.status } : null);
  const lastAt = last === null ? null : Date.parse(last.at);
  const lastCells = lastAt === null ? ['-', '-', '-'] : [localStamp(lastAt), `${shortSpan(now - lastAt)} ago`, last!.result];
  return { cells: [job.id, job.schedule ?? '-', job.state, ...next, ...lastCells], failed: last !== null && isFailure(last.status) };
}
