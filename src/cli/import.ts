import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import type { ImportedJob, ImportNote } from '../types.js';
import { withUniqueIds } from '../import/job-id.js';
import { importCrontabs, importTimers } from './import-sources.js';

interface ImportOptions {
  crontab?: string[];
  systemd?: string[];
  system?: boolean;
  to: string;
  dryRun?: boolean;
  force?: boolean;
}

/** `jobd import`: crontabs and systemd timers as job files; what is not translated exactly is reported, exit 1. */
export function importCommand(done: (code: number) => void): Command {
  const command: Command = new Command('import')
    .description('turn crontabs and systemd timer/service pairs into job files')
    .addOption(new Option('--crontab <file|dir|->', 'a crontab file, - for stdin, or a directory like /etc/cron.d (repeatable)').argParser(collect))
    .addOption(new Option('--systemd <paths...>', '.timer files (their .service beside them) or directories of units'))
    .option('--system', 'the crontab has a user column (like /etc/crontab; found by path for /etc/crontab and /etc/cron.d)')
    .addOption(new Option('--to <dir>', 'where to write the job files').env('JOBD_JOBS_DIR').default('./jobs.d'))
    .option('--dry-run', 'print the files that would be written; write nothing')
    .option('--force', 'overwrite job files that already exist')
    .action(async (options: ImportOptions) => {
      if (!options.crontab && !options.systemd) command.error('error: give --crontab <file|dir|-> or --systemd <units>', { exitCode: 2 });
      const currentUser = safeUserName();
      const results = [
        ...(await importCrontabs({ paths: options.crontab ?? [], system: options.system ?? false, currentUser })),
        ...(await importTimers(options.systemd ?? [])),
      ];
      const notes = results.flatMap((result) => result.notes);
      // Loaded only for this command, so the others (status above all) start without zod and croner.
      const jobFile = await import('../job/normalize.js');
      const { formatProblem } = await import('../job/load-job-file.js');
      const jobs = validJobs({ jobs: withUniqueIds(results.flatMap((result) => result.jobs)), to: options.to, notes, check: { normalizeJob: jobFile.normalizeJob, formatProblem } });
      if (options.dryRun) printJobs(jobs, options.to);
      else await writeJobs({ jobs, options, notes });
      for (const note of bySourceAndLine(notes)) process.stderr.write(`${formatNote(note)}\n`);
      done(notes.length === 0 ? 0 : 1);
    });
  return command;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

// Only jobs that `jobd validate` will accept are written; anything else is a note.
function validJobs({ jobs, to, notes, check }: {
  jobs: ImportedJob[]; to: string; notes: ImportNote[];
  check: { normalizeJob: typeof import('../job/normalize.js').normalizeJob; formatProblem: typeof import('../job/load-job-file.js').formatProblem };
}): ImportedJob[] {
  const { normalizeJob, formatProblem } = check;
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
