import type { Run, RunResult } from '../types.js';
import type { Spawner } from './spawner.js';
import { HOOK_LIMIT_MS, runHookCommand, type HookObserver } from './follow-up.js';
import { guardHookObserver } from './guard-observer.js';
import { runEnv } from './prepare-run.js';

/**
 * Runs the job's onSuccess or onFailure command for a finished run, with the
 * run's environment plus its outcome; resolves with a problem in words, or null.
 */
export async function runResultHook(
  spawner: Spawner, run: Run, result: RunResult, hook: 'onSuccess' | 'onFailure', observer: HookObserver = {},
): Promise<string | null> {
  const command = run.job[hook];
  if (command === null) return null;
  const env = {
    ...runEnv(run),
    JOBD_REASON: hook === 'onSuccess' ? 'success' : 'failure',
    JOBD_STATUS: result.status,
    JOBD_EXIT_CODE: result.exitCode === null ? '' : String(result.exitCode),
    JOBD_ELAPSED_MS: String(Math.round(result.durationMs)),
  };
  const problems: string[] = [];
  const guarded = guardHookObserver(observer, (message) => problems.push(message));
  const outcome = await runHookCommand(spawner, { hook, command, args: [], cwd: run.job.cwd, env, limitMs: HOOK_LIMIT_MS, argv0: run.job.id }, guarded);
  if (!outcome.ok) return [outcome.message, ...problems].join('; ');
  if (problems.length > 0) return problems.join('; ');
  return outcome.exitCode === 0 ? null : `${hook} command exited with code ${outcome.exitCode}`;
}
