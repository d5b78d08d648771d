import { Command } from 'commander';
import type { LocationOptions } from './options.js';
import { ask, withLocation } from './client-options.js';

const ACTIONS = {
  cancel: 'stop the job\'s running run(s)',
  pause: 'stop scheduling a job (runs in progress go on)',
  resume: 'schedule a paused job again',
} as const;

/** `jobd cancel|pause|resume <id>`: one POST to the daemon each. */
export function jobActionCommands(done: (code: number) => void): Command[] {
  return (Object.keys(ACTIONS) as (keyof typeof ACTIONS)[]).map((action) =>
    withLocation(new Command(action).description(ACTIONS[action]).argument('<id>', 'job id')).action(
      async (id: string, options: LocationOptions) => {
        const body = await ask(options, 'POST', `/jobs/${encodeURIComponent(id)}/${action}`);
        if (body === null) return done(1);
        const cancelled = (body as { cancelled?: string[] }).cancelled;
        const state = (body as { state?: string }).state;
        process.stdout.write(cancelled ? `cancelled ${cancelled.join(', ')}\n` : `${id}: ${state}\n`);
        done(0);
      },
    ),
  );
}
