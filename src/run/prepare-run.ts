import { stat } from 'node:fs/promises';
import type { Run } from '../types.js';
import { toIso } from './run-result.js';

/** The environment of a run's command: the job's own variables, then the JOBD_* facts of this run. */
export function runEnv(run: Run): Record<string, string> {
  return {
    ...run.job.env,
    JOBD_JOB_ID: run.job.id,
    JOBD_RUN_ID: run.id,
    JOBD_SCHEDULED_AT: toIso(run.scheduledAt),
    JOBD_TRIGGER: run.trigger,
    ...(run.instance !== undefined ? { JOBD_INSTANCE: run.instance } : {}),
    ...(run.node === undefined ? {} : { JOBD_NODE_ID: run.node }),
    ...(run.checkpoint === undefined ? {} : { JOBD_CHECKPOINT: run.checkpoint }),
    ...(run.resumeOf === undefined ? {} : { JOBD_RESUME_OF: run.resumeOf }),
  };
}

/** Why a run cannot start in `cwd`, or null when it is a directory. */
export async function cwdProblem(cwd: string): Promise<string | null> {
  try {
    return (await stat(cwd)).isDirectory() ? null : `cwd is not a directory: ${cwd}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `cwd does not exist: ${cwd}`;
    return `cwd is not usable: ${cwd}: ${(error as Error).message}`;
  }
}
