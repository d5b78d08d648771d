import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { E2E_FIXTURES } from './cli.js';

/** Runs the chunked-writer fixture: `content` written to `file` in `chunks` parts, `pauseMs` apart. */
export function writeInChunks(file: string, content: string, chunks: number, pauseMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = [join(E2E_FIXTURES, 'chunked-writer.mjs'), file, String(chunks), String(pauseMs), content];
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`chunked writer exited ${code}`))));
  });
}
