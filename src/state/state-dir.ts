import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorInWords } from './errno-words.js';

/**
 * Creates the state file's directory (and its parents) when missing, as the log
 * file's directory is: `--state-file /var/lib/jobd/state.json` works on a fresh
 * machine. Null when the directory is there; otherwise why it cannot be made.
 */
export async function makeStateDir(stateFile: string): Promise<string | null> {
  const dir = dirname(stateFile);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return null;
  } catch (error) {
    return `${dir}: cannot create the state file's directory: ${errorInWords(error)}`;
  }
}
