import { Command } from 'commander';
import type { RunRecord } from '../types.js';
import type { LocationOptions } from './options.js';
import { ask, withLocation } from './client-options.js';

/** `jobd run <id> [--wait]`: a manual run; with --wait the exit code mirrors the run's. */
export function runCommand(done: (code: number) => void): Command {
  return withLocation(
    new Command('run').description('trigger a run now').argument('<id>', 'job id').option('--wait', 'wait for the run to end; exit with its status'),
  ).action(async (id: string, options: LocationOptions & { wait?: boolean }) => {
    const path = `/jobs/${encodeURIComponent(id)}/run${options.wait ? '?wait' : ''}`;
    const body = await ask(options, 'POST', path);
    if (body === null) return done(1);
    if (!options.wait) {
      const run = (body as { run: string | null }).run;
      process.stdout.write(run ? `started ${run}\n` : `queued a run of ${id}\n`);
      return done(0);
    }
    const record = body as RunRecord;
    process.stdout.write(`${record.run}: ${record.status}${'exitCode' in record && record.exitCode !== null ? ` (exit ${record.exitCode})` : ''}\n`);
    done(exitCodeOf(record));
  });
}

function exitCodeOf(record: RunRecord): number {
  if (record.status === 'ok') return 0;
  if (record.status === 'failed' && record.exitCode !== null && record.exitCode > 0 && record.exitCode < 256) return record.exitCode;
  return 1;
}
