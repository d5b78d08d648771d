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
        process.stdout.write(`${confirmation(action, id, body as { cancelled?: string[]; state?: string; running?: string[] })}\n`);
        done(0);
      },
    ),
  );
}

// Says what the action did; a run still in progress is named, since pausing does not stop it.
function confirmation(action: keyof typeof ACTIONS, id: string, body: { cancelled?: string[]; state?: string; running?: string[] }): string {
  if (action === 'cancel') return `cancelled ${(body.cancelled ?? []).join(', ')}`;
  const running = body.running?.length ? ` (${body.running.join(', ')} still running)` : '';
  return action === 'pause' ? `${id}: paused${running}` : `${id}: ${body.state}${running}`;
}
