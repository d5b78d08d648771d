import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobRecord, StateSnapshot } from '../../src/types.js';

/** Writes `<jobsDir>/<name>.json`: via a hidden temp file and rename, or in place with `raw`. */
export async function writeJob(
  jobsDir: string,
  name: string,
  content: object | string,
  { raw = false }: { raw?: boolean } = {},
): Promise<string> {
  const file = join(jobsDir, name.endsWith('.json') ? name : `${name}.json`);
  const text = typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`;
  if (raw) {
    await writeFile(file, text);
    return file;
  }
  const temp = join(jobsDir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temp, text);
  await rename(temp, file);
  return file;
}

/** An ISO instant `seconds` from now. */
export function inSeconds(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString();
}

/** The parsed state file, or null when it is missing or not JSON. */
export async function readState(stateFile: string): Promise<StateSnapshot | null> {
  try {
    return JSON.parse(await readFile(stateFile, 'utf8')) as StateSnapshot;
  } catch {
    return null;
  }
}

/** One job's record in the state file, or undefined. */
export async function readJobRecord(stateFile: string, id: string): Promise<JobRecord | undefined> {
  return (await readState(stateFile))?.jobs?.find((job) => job.id === id);
}

/** A shell snippet that appends the shell's PID to `<pidsDir>/<name>`, so a test can check it died. */
export function recordPid(pidsDir: string, name: string): string {
  return `echo $$ >> '${join(pidsDir, name)}'`;
}

/**
 * A job command that counts to 20, a step every `stepSeconds`, keeping the last step in its
 * checkpoint (temp file, then mv) before it prints it: a step it printed is one a resumed run
 * does not do again. SIGTERM ends it between steps, never between a step's checkpoint and
 * its line, so the last step it printed is its last checkpointed one. With `stepsLog`, each
 * step is also appended there as `<run id> <step>`, which a command whose daemon died (its
 * stdout broken) still writes. A broken stdout must not end it early.
 */
export function checkpointCounter(stepSeconds: number, stepsLog?: string): string {
  return [
    "trap '' PIPE",
    "trap 'stop=1' TERM",
    'n=$(cat "$JOBD_CHECKPOINT" 2>/dev/null); n=${n:-0}',
    'echo "begin $n trigger=$JOBD_TRIGGER resumeOf=${JOBD_RESUME_OF:-none}"',
    'while [ -z "$stop" ] && [ "$n" -lt 20 ]; do',
    '  n=$((n + 1)); printf %s "$n" > "$JOBD_CHECKPOINT.tmp" && mv "$JOBD_CHECKPOINT.tmp" "$JOBD_CHECKPOINT"',
    ...(stepsLog === undefined ? [] : [`  echo "$JOBD_RUN_ID $n" >> '${stepsLog}'`]),
    `  echo "step $n"; sleep ${stepSeconds}`,
    'done',
    '[ -z "$stop" ] || exit 143',
  ].join('\n');
}
