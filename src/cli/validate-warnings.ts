import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import type { Job, Problem } from '../types.js';

/**
 * What `jobd validate` can see on this machine but the job file alone cannot: a `cwd`
 * that is not there, or an argv program that would not be found. Warnings only: the
 * daemon loads such jobs, and the directory or program may be there by the time they run.
 */
export function environmentWarnings(job: Job, daemonPath: string | undefined): Problem[] {
  const warnings: Problem[] = [];
  const where = directoryProblem(job.cwd);
  if (where !== null) warnings.push({ file: job.file, path: 'cwd', message: `${where}; a run would fail to start until it exists` });
  const program = 'argv' in job.command ? job.command.argv[0] : undefined;
  if (program !== undefined && program !== '') {
    const missing = programProblem({ program, cwd: job.cwd, path: job.env.PATH ?? daemonPath ?? '' });
    if (missing !== null) warnings.push({ file: job.file, path: 'command', message: `${missing}; a run would fail to start` });
  }
  return warnings;
}

function directoryProblem(dir: string): string | null {
  const info = statOf(dir);
  if (info === null) return `the directory "${dir}" does not exist`;
  return info.isDirectory() ? null : `"${dir}" is not a directory`;
}

// As execvp: a name with a slash is a path (from the run's cwd), any other is looked up on PATH.
function programProblem(input: { program: string; cwd: string; path: string }): string | null {
  const { program, cwd, path } = input;
  if (program.includes('/')) {
    const file = resolve(cwd, program);
    const info = statOf(file);
    if (info === null) return `the program "${program}" does not exist`;
    return isExecutableFile(file, info) ? null : `the program "${program}" is not an executable file`;
  }
  const dirs = path.split(delimiter).map((dir) => resolve(cwd, dir === '' ? '.' : dir));
  const found = dirs.some((dir) => {
    const file = resolve(dir, program);
    const info = statOf(file);
    return info !== null && isExecutableFile(file, info);
  });
  return found ? null : `the program "${program}" is not found on PATH`;
}

function statOf(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    // Missing, or a part of the path is not searchable: either way the run could not use it.
    return null;
  }
}

function isExecutableFile(file: string, info: Stats): boolean {
  if (!info.isFile()) return false;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
