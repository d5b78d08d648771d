import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Problem } from '../types.js';
import { isJobFileName } from '../watch/job-file-name.js';

/** The job files named by `paths` (files as given, directories expanded in name order), and paths that are neither. */
export async function jobFilesIn(paths: string[]): Promise<{ files: string[]; problems: Problem[] }> {
  const files: string[] = [];
  const problems: Problem[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info) problems.push({ file: path, path: '', message: 'no such file or directory' });
    else if (info.isDirectory()) {
      const entries = await readdir(path, { withFileTypes: true });
      const names = entries.filter((e) => !e.isDirectory() && isJobFileName(e.name)).map((e) => e.name).sort();
      files.push(...names.map((name) => join(path, name)));
    } else files.push(path);
  }
  return { files, problems };
}
