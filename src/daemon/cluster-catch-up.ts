import type { DaemonContext } from './context.js';
import { jobById } from './registry.js';

// The first statement to succeed after an outage is often the claim of a fire due at that
// moment; a catch-up submitted beside it would be dropped by the overlap policy. So it waits
// a little, and while the job still runs here, or the end of a run of it is still being
// written (its row says running until then), a little more.
const CATCH_UP_DELAY_MS = 1_000;
const CATCH_UP_TRIES = 5;

/** After an outage: the job's last fire missed meanwhile, submitted once as a `catchup` fire (claimed like any other). */
export function catchUpSoon(
  ctx: DaemonContext, input: { id: string; scheduledAt: number; ending(job: string): boolean }, tries = CATCH_UP_TRIES,
): void {
  setTimeout(() => {
    const { id, scheduledAt } = input;
    if (!jobById(ctx.registry, id)?.catchUp) return;
    const busy = input.ending(id) || [...ctx.running.values()].some((active) => active.run.job.id === id);
    if (busy && tries > 1) catchUpSoon(ctx, input, tries - 1);
    else ctx.scheduler.submit({ jobId: id, trigger: 'catchup', scheduledAt });
  }, CATCH_UP_DELAY_MS).unref();
}
