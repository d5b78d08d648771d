import { stat } from 'node:fs/promises';
import { Command, Option } from 'commander';
import type { Job, Loaded } from '../types.js';
import { jobFilesIn } from './job-paths.js';
import { positiveInt, timezone, trustOptions, trustRules } from './options.js';

interface NextOptions {
  insecurePermissions?: boolean;
  followSymlinks?: boolean;
  count: number;
  jobsDir: string;
  stateFile: string;
  timezone?: string;
}

/** `jobd next`: the next N fire times of a job, ISO UTC first, then the job's own zone. */
export function nextCommand(done: (code: number) => void): Command {
  return new Command('next')
    .description('print the next N fire times of a job file or job id')
    .argument('<file|id>', 'a job file, or the id of a job in the jobs dir')
    .addOption(new Option('-n, --count <n>', 'how many').argParser(positiveInt).default(5))
    .addOption(new Option('--jobs-dir <dir>', 'directory of job files').env('JOBD_JOBS_DIR').default('./jobs.d'))
    .addOption(new Option('--state-file <file>', 'state file (keeps interval timelines)').env('JOBD_STATE_FILE').default('./jobs_state.json'))
    .addOption(new Option('--timezone <tz>', 'zone for cron jobs without their own').env('TZ').argParser(timezone))
    .addOption(trustOptions()[0]!)
    .addOption(trustOptions()[1]!)
    .action(async (target: string, options: NextOptions) => {
      // Loaded only for this command, so the others (status above all) start without zod and croner.
      const [{ formatProblem }, { formatInZone }, { nextFires }] = await Promise.all([
        import('../job/load-job-file.js'), import('../schedule/describe-schedule.js'), import('../schedule/next-fire.js'),
      ]);
      const loaded = await findJob(target, options);
      if (!loaded.ok) {
        for (const problem of loaded.problems) process.stderr.write(`${formatProblem(problem)}\n`);
        return done(1);
      }
      const job = loaded.value;
      if (!job.schedule) {
        process.stderr.write(`${job.file}: schedule: none; ${job.id} runs only after ${job.after.join(', ')}\n`);
        return done(0);
      }
      const zone = job.schedule.kind === 'cron' ? job.schedule.timezone : null;
      for (const at of nextFires(job.schedule, Date.now(), options.count, await intervalAnchor(job, options.stateFile))) {
        process.stdout.write(`${new Date(at).toISOString()}  ${formatInZone(at, zone)}\n`);
      }
      done(0);
    });
}

async function findJob(target: string, options: NextOptions): Promise<Loaded<Job>> {
  const defaultZone = options.timezone ?? null;
  const trust = trustRules(options);
  const { loadJobFile } = await import('../job/load-job-file.js');
  const isFile = await stat(target).then((s) => s.isFile(), () => false);
  if (isFile) return loadJobFile({ file: target, defaultZone, cwd: process.cwd(), trust });
  const { files } = await jobFilesIn([options.jobsDir]);
  for (const file of files) {
    const loaded = loadJobFile({ file, defaultZone, cwd: process.cwd(), trust });
    if (loaded.ok && loaded.value.id === target) return loaded;
  }
  const message = `no job file and no job with this id in ${options.jobsDir}`;
  return { ok: false, problems: [{ file: target, path: '', message }] };
}

// A running daemon keeps an interval's phase in the state file; show the same instants it will use.
async function intervalAnchor(job: Job, stateFile: string): Promise<number | null> {
  if (job.schedule?.kind !== 'interval') return null;
  const { readState } = await import('../state/state-store.js');
  const read = await readState(stateFile);
  const record = read.kind === 'loaded' ? read.snapshot.jobs.find((r) => r.id === job.id) : undefined;
  if (!record || JSON.stringify(record.definition?.schedule) !== JSON.stringify(job.schedule)) return null;
  const anchor = record.lastFireAt ?? record.nextRunAt;
  return anchor ? Date.parse(anchor) : null;
}
