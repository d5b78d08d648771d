import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Absolute path of the real executable under test. */
export const JOBD_BIN = fileURLToPath(new URL('../../bin/jobd.js', import.meta.url));

/** Root of the repository (for the bundled `jobs.d/`). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs one `jobd` command to completion (killed after `timeoutMs`); `input` is piped to its stdin. */
export function runCli(
  args: string[],
  { cwd, env, timeoutMs = 20_000, input }: { cwd: string; env?: Record<string, string>; timeoutMs?: number; input?: string },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JOBD_BIN, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    // What a pipe into jobd gives it (`crontab -l | jobd import --crontab -`), then end of file.
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Non-empty output lines. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** Folder of the tiny scripts the end-to-end tests run as jobs or writers. */
export const E2E_FIXTURES = fileURLToPath(new URL('../fixtures/e2e', import.meta.url));
