import { Command, Option } from 'commander';
import type { NextOptions } from './next-fires.js';
import { positiveInt, timezone, trustOptions } from './options.js';

/** `jobd next`: the next N fire times of a job, ISO UTC first, then the job's own zone. */
export function nextCommand(done: (code: number) => void): Command {
  return new Command('next')
    .description('print the next N fire times of a job file or job id')
    .argument('<file|id>', 'a job file, or the id of a job in the jobs dir')
    .addOption(new Option('-n, --count <n>', 'how many').argParser(positiveInt).default(5))
    .addOption(new Option('--jobs-dir <dir>', 'directory of job files').env('JOBD_JOBS_DIR').default('./jobs.d'))
    .addOption(new Option('--state-file <file>', 'state file (keeps interval timelines)').env('JOBD_STATE_FILE').default('./jobs_state.json'))
    .addOption(new Option('--timezone <tz>', 'zone for cron jobs without their own').env('TZ').argParser(timezone))
    .addOption(new Option('--from <instant>', 'list the fires after this ISO 8601 instant instead of now (like systemd-analyze calendar --base-time)'))
    .addOption(trustOptions()[0]!)
    .addOption(trustOptions()[1]!)
    .action(async (target: string, options: NextOptions) => {
      // Loaded only for this command, so the others (status above all) start without zod and croner.
      const { printNextFires } = await import('./next-fires.js');
      done(await printNextFires(target, options));
    });
}
