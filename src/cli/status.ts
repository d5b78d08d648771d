import { Command } from 'commander';
import type { DaemonStatus, JobStatus } from '../types.js';
import type { LocationOptions } from './options.js';
import { ask, withLocation } from './client-options.js';
import { alignRows, clusterLines, lastRunOnNode } from './status-cluster.js';

/** `jobd status [--json]`: the daemon and a table of its jobs. */
export function statusCommand(done: (code: number) => void): Command {
  return withLocation(new Command('status').description('daemon and jobs table (needs a running daemon)').option('--json', 'print JSON')).action(
    async (options: LocationOptions & { json?: boolean }) => {
      const body = (await ask(options, 'GET', '/status')) as DaemonStatus | null;
      if (body === null) return done(1);
      process.stdout.write(options.json ? `${JSON.stringify(body, null, 2)}\n` : statusTable(body, Date.now()));
      done(0);
    },
  );
}

/** The status as text: a header line, then one aligned row per job. */
export function statusTable(status: DaemonStatus, now: number): string {
  const header = `jobd ${status.version}, pid ${status.pid}, up ${relative(status.uptimeMs)}, ${status.jobs.length} jobs, ${status.running.length} running\n`;
  const rows = [['ID', 'SCHEDULE', 'STATE', 'NEXT RUN', 'LAST RUN'], ...status.jobs.map((job) => row(job, now, status))];
  const lines = alignRows(rows);
  const problems = status.invalidFiles.map((p) => `invalid: ${p.file}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
  const cluster = status.cluster ? clusterLines(status.cluster, now, relative) : [];
  return `${[header.trimEnd(), ...cluster, ...lines, ...problems].join('\n')}\n`;
}

function row(job: JobStatus, now: number, status: DaemonStatus): string[] {
  const next = job.nextRunAt ? `in ${relative(Date.parse(job.nextRunAt) - now)} (${job.nextRunAt})` : '-';
  const onNode = status.cluster ? lastRunOnNode(status.cluster, job.id, now, relative) : null;
  const last = onNode ?? (job.lastRun
    ? `${job.lastRun.status}${'durationMs' in job.lastRun ? ` in ${relative(job.lastRun.durationMs)}` : ''}, ${relative(now - Date.parse(job.lastRun.scheduledAt))} ago`
    : '-');
  return [job.id, job.schedule ?? '-', job.state, next, last];
}

function relative(ms: number): string {
  const abs = Math.max(0, ms);
  if (abs < 1000) return `${Math.round(abs)}ms`;
  if (abs < 60_000) return `${(abs / 1000).toFixed(1)}s`;
  if (abs < 3_600_000) return `${Math.floor(abs / 60_000)}m${Math.floor((abs % 60_000) / 1000)}s`;
  if (abs < 86_400_000) return `${Math.floor(abs / 3_600_000)}h${Math.floor((abs % 3_600_000) / 60_000)}m`;
  return `${Math.floor(abs / 86_400_000)}d${Math.floor((abs % 86_400_000) / 3_600_000)}h`;
}
