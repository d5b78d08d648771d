import { mkdtemp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killPidQuietly } from './process.js';

/** A scratch directory for one test: `jobs.d/` inside, and a `pids/` folder commands may write to. */
export interface TempDir {
  dir: string;
  jobsDir: string;
  pidsDir: string;
  /** A path inside the temp dir. */
  path(...parts: string[]): string;
  /** Kills every process whose PID a command left in `pids/`, then removes the directory. */
  cleanup(): Promise<void>;
}

/** Makes a fresh temp dir under os.tmpdir() with an empty `jobs.d/`. */
export async function makeTempDir(prefix = 'jobd-e2e-'): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const jobsDir = join(dir, 'jobs.d');
  const pidsDir = join(dir, 'pids');
  await mkdir(jobsDir);
  await mkdir(pidsDir);
  return {
    dir,
    jobsDir,
    pidsDir,
    path: (...parts) => join(dir, ...parts),
    cleanup: async () => {
      for (const pid of await readPidDir(pidsDir)) killPidQuietly(pid);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every PID written (one or more per line) to the files in a folder. */
export async function readPidDir(pidsDir: string): Promise<number[]> {
  const names = await readdir(pidsDir).catch(() => [] as string[]);
  const pids: number[] = [];
  for (const name of names) pids.push(...(await readPidFile(join(pidsDir, name))));
  return pids;
}

/** PIDs in a file, whitespace separated; none when the file is missing. */
export async function readPidFile(file: string): Promise<number[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split(/\s+/)
    .filter((word) => /^\d+$/.test(word))
    .map(Number);
}
