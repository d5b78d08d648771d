import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOBD_BIN, linesOf, type CliResult } from '../../helpers/cli.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, startHostileDaemon } from '../../helpers/hostile.js';

const JOBS = 3_000;

/** Runs `jobd` with stdout on a pipe nobody reads for the first half second, like `| jq` still starting. */
function runCliSlowReader(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JOBD_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.pause();
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    setTimeout(() => child.stdout.resume(), 500);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

async function writeJobFiles(dir: string, content: string): Promise<void> {
  for (let start = 0; start < JOBS; start += 500) {
    await Promise.all(Array.from({ length: 500 }, (_, i) => writeFile(join(dir, `job-${start + i}.json`), content)));
  }
}

describe('hostile suite: CLI output to a pipe (issue 11)', () => {
  const tmp = useTempDir();

  it(`issue 11.27 / 11.16: jobd status --json with ${JOBS} jobs, read through a slow pipe, parses completely; the table has every row`, async () => {
    await writeJobFiles(tmp().jobsDir, JSON.stringify({ schedule: '@every 1h', command: 'true' }));
    const target = await startHostileDaemon({ dir: tmp().dir, startTimeoutMs: 25_000 });
    const json = await runCliSlowReader(['status', '--json', '--socket', target.socket], tmp().dir);
    expect(json.code, json.stderr).toBe(0);
    const status = JSON.parse(json.stdout) as { jobs: Array<{ id: string }> };
    expect(status.jobs).toHaveLength(JOBS + 1);
    const table = await runCliSlowReader(['status', '--socket', target.socket], tmp().dir);
    expect(table.code, table.stderr).toBe(0);
    expect(linesOf(table.stdout).filter((line) => line.startsWith('job-'))).toHaveLength(JOBS);
    await expectStillHealthy(target);
    await expectCleanStop(target);
  }, 60_000);

  it(`issue 11.27: jobd validate of ${JOBS} invalid files prints every line through a slow pipe, exit 1`, async () => {
    await writeJobFiles(tmp().jobsDir, JSON.stringify({ schedule: '@every 1h', command: 'true', timout: 5 }));
    const result = await runCliSlowReader(['validate', tmp().jobsDir], tmp().dir);
    expect(result.code, result.stderr).toBe(1);
    const lines = linesOf(result.stdout);
    expect(lines).toHaveLength(JOBS);
    expect(new Set(lines.map((line) => line.split(':')[0])).size).toBe(JOBS);
  });
});
