import type { RunRecord } from '../types.js';

/** How a run ended, in the words of a status table: `ok`, `failed, exit 3`, `killed by SIGKILL`, `timeout`. */
export function runOutcome(record: RunRecord): string {
  switch (record.status) {
    case 'skipped':
      return `skipped, ${record.reason}`;
    case 'failed':
      if (record.error !== undefined && record.exitCode === null && record.signal === null) return `failed, ${record.error}`;
      if (record.signal !== null) return `killed by ${record.signal}`;
      return `failed, exit ${record.exitCode ?? '?'}`;
    default:
      return record.status;
  }
}

/** Whether a status is bad news a table should colour. */
export function isFailure(status: string): boolean {
  return status === 'failed' || status === 'timeout';
}

/** A command and the args it gets, kept apart so `…; wait customers` does not read as one command: `script args ["customers"]`. */
export function commandWithArgs(command: string, args: readonly string[]): string {
  return args.length === 0 ? command : `${command} args ${JSON.stringify(args)}`;
}
