import { Command, Option } from 'commander';
import type { ImportOptions } from './import-run.js';

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
      // Loaded only for this command, so the others (status above all) start without zod and croner.
      const { runImport } = await import('./import-run.js');
      done(await runImport(options));
    });
  return command;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
