import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { ImportedJob, ImportNote } from '../types.js';
import { withUniqueIds } from '../import/job-id.js';
import { formatProblem } from '../job/load-job-file.js';
import { normalizeJob } from '../job/normalize.js';
import { importCrontabs, importTimers } from './import-sources.js';

export interface ImportOptions {
  crontab?: string[];
  systemd?: string[];
  system?: boolean;
  to: string;
  dryRun?: boolean;
  force?: boolean;
}

/** Reads the sources, writes (or with --dry-run prints) the valid job files, reports each note; returns the exit code. */
export async function runImport(options: ImportOptions): Promise<number> {
  const currentUser = safeUserName();
  const results = [
    ...(await importCrontabs({ paths: options.crontab ?? [], system: options.system ?? false, currentUser })),
    ...(await importTimers(options.systemd ?? [])),
  ];
  const notes = results.flatMap((result) => result.notes);
  const jobs = validJobs(withUniqueIds(results.flatMap((result) => result.jobs)), options.to, notes);
  if (options.dryRun) printJobs(jobs, options.to);
  else await writeJobs({ jobs, options, notes });
  for (const note of bySourceAndLine(notes)) process.stderr.write(`${formatNote(note)}\n`);
  return notes.length === 0 ? 0 : 1;
}

// Only jobs that `jobd validate` will accept are written; anything else is a note.
function validJobs(jobs: ImportedJob[], to: string, notes: ImportNote[]): ImportedJob[] {
  return jobs.filter((job) => {
    const checked = normalizeJob({ raw: job.content, file: join(to, `${job.id}.json`), defaultZone: null, cwd: process.cwd() });
    if (checked.ok) return true;
    for (const problem of checked.problems) {
      notes.push({ source: job.source, line: job.line, message: `not imported: the translation is not a valid job: ${formatProblem({ ...problem, file: `${job.id}.json` })}` });
    }
    return false;
  });
}

function printJobs(jobs: ImportedJob[], to: string): void {
  for (const job of jobs) {
    process.stdout.write(`# ${join(to, `${job.id}.json`)} (from ${where(job)})\n${JSON.stringify(job.content, null, 2)}\n`);
  }
}

async function writeJobs(input: { jobs: ImportedJob[]; options: ImportOptions; notes: ImportNote[] }): Promise<void> {
  const { jobs, options, notes } = input;
  if (jobs.length === 0) return;
  await mkdir(options.to, { recursive: true });
  for (const job of jobs) {
    const file = join(options.to, `${job.id}.json`);
    // "wx" fails on an existing file in the same system call that would create it: nothing is overwritten by a race.
    const written = await writeFile(file, `${JSON.stringify(job.content, null, 2)}\n`, { flag: options.force ? 'w' : 'wx', mode: 0o644 }).then(
      () => null,
      (error: NodeJS.ErrnoException) => error,
    );
    if (written === null) process.stdout.write(`wrote ${file} (from ${where(job)})\n`);
    else if (written.code === 'EEXIST') notes.push({ source: job.source, line: job.line, message: `not written: ${file} already exists (--force overwrites it)` });
    else notes.push({ source: job.source, line: job.line, message: `not written: ${file}: ${written.message}` });
  }
}

// Sources in the order they were read, each one's notes by line.
function bySourceAndLine(notes: ImportNote[]): ImportNote[] {
  const order = [...new Set(notes.map((note) => note.source))];
  return [...notes].sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source) || a.line - b.line);
}

function where(job: ImportedJob): string {
  return job.line > 0 ? `${job.source}:${job.line}` : job.source;
}

function formatNote(note: ImportNote): string {
  return note.line > 0 ? `${note.source}:${note.line}: ${note.message}` : `${note.source}: ${note.message}`;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // A uid with no passwd entry (containers) has no name; cron's user column is then compared with the number.
    return String(process.getuid?.() ?? '');
  }
}
