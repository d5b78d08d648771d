import { Command, Option } from 'commander';
import type { Job, Problem } from '../types.js';
import { jobFilesIn } from './job-paths.js';
import { timezone, trustOptions, trustRules } from './options.js';

/** `jobd validate`: the daemon's rules, one `file: path: message` line per problem, exit 1 if any. */
export function validateCommand(done: (code: number) => void): Command {
  return new Command('validate')
    .description('check job files (default: the jobs dir); exit 1 if any is invalid')
    .argument('[paths...]', 'job files or directories')
    .addOption(new Option('--jobs-dir <dir>', 'directory of job files').env('JOBD_JOBS_DIR').default('./jobs.d'))
    .addOption(new Option('--timezone <tz>', 'zone for cron jobs without their own').env('TZ').argParser(timezone))
    .addOption(trustOptions()[0]!)
    .addOption(trustOptions()[1]!)
    .action(async (paths: string[], options: { jobsDir: string; timezone?: string } & Parameters<typeof trustRules>[0]) => {
      // Loaded only for this command, so the others (status above all) start without zod and croner.
      const [{ afterProblems }, { formatProblem, loadJobFile }, { environmentWarnings }] = await Promise.all([
        import('../job/after-graph.js'),
        import('../job/load-job-file.js'),
        import('./validate-warnings.js'),
      ]);
      const { files, problems } = await jobFilesIn(paths.length > 0 ? paths : [options.jobsDir]);
      const jobs: Job[] = [];
      const warnings: Problem[] = [];
      for (const file of files) {
        const loaded = loadJobFile({ file, defaultZone: options.timezone || null, cwd: process.cwd(), trust: trustRules(options) });
        warnings.push(...(loaded.warnings ?? []));
        if (loaded.ok) {
          jobs.push(loaded.value);
          warnings.push(...environmentWarnings(loaded.value, process.env.PATH));
        } else problems.push(...loaded.problems);
      }
      problems.push(...duplicateIds(jobs), ...afterProblems(jobs));
      // Warnings are told but do not fail the check: the daemon loads such files too.
      for (const warning of warnings) process.stdout.write(`warning: ${formatProblem(warning)}\n`);
      for (const problem of problems) process.stdout.write(`${formatProblem(problem)}\n`);
      if (problems.length === 0) process.stdout.write(`ok: ${files.length} job file${files.length === 1 ? '' : 's'} valid\n`);
      done(problems.length === 0 ? 0 : 1);
    });
}

// The daemon keeps the first file (in name order) that declares an id.
function duplicateIds(jobs: Job[]): Problem[] {
  const first = new Map<string, string>();
  const problems: Problem[] = [];
  for (const job of jobs) {
    const holder = first.get(job.id);
    if (holder === undefined) first.set(job.id, job.file);
    else problems.push({ file: job.file, path: 'id', message: `duplicate id "${job.id}", already declared by ${holder}` });
  }
  return problems;
}
