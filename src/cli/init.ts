import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { isJobFileName } from '../watch/job-file-name.js';
import { systemdUnit } from './systemd-unit.js';

// The examples shipped with the package are the bundled jobs.d itself.
const EXAMPLES = fileURLToPath(new URL('../../jobs.d/', import.meta.url));

/** `jobd init`: a jobs directory with example job files; existing files are left alone. */
export function initCommand(done: (code: number) => void): Command {
  return new Command('init')
    .description('create a jobs directory with example job files')
    .argument('[dir]', 'directory to create', './jobs.d')
    .option('--systemd', 'print a systemd unit that runs jobd on this directory instead')
    .action(async (dir: string, options: { systemd?: boolean }) => {
      if (options.systemd) {
        process.stdout.write(systemdUnit({ jobsDir: dir, workingDirectory: process.cwd() }));
        return done(0);
      }
      await mkdir(dir, { recursive: true });
      const names = (await readdir(EXAMPLES)).filter(isJobFileName).sort();
      for (const name of names) {
        const target = join(dir, name);
        const copied = await copyFile(join(EXAMPLES, name), target, 1).then(() => true, () => false);
        process.stdout.write(copied ? `created ${target}\n` : `kept ${target} (already exists)\n`);
      }
      process.stdout.write(`next: jobd validate ${dir} && jobd start --jobs-dir ${dir}\n`);
      done(0);
    });
}
