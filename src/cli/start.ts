import { Command } from 'commander';
import { VERSION } from './version.js';
import { daemonConfig, locationOptions, startOptions, type LocationOptions } from './options.js';

/** `jobd start`: the daemon, in the foreground. */
export function startCommand(done: (code: number) => void): Command {
  const command = new Command('start').description('run the daemon in the foreground');
  for (const option of [...locationOptions(), ...startOptions()]) command.addOption(option);
  return command.action(async (options: Record<string, unknown> & LocationOptions) => {
    // Loaded here, not at the top: every other command (status above all) starts without the daemon's libraries.
    const { startDaemon } = await import('../daemon/daemon.js');
    const started = await startDaemon(daemonConfig(options, process.cwd()), VERSION);
    if (!started.ok) {
      process.stderr.write(`jobd: ${started.message}\n`);
      return done(1);
    }
    await started.stopped;
    done(0);
  });
}
