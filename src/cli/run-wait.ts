import { callDaemon, followEvents, type DaemonReply } from '../control/client.js';

type Event = Record<string, unknown>;

/** How a waited-for run ended, as `run --wait` reports it. */
export interface RunEnd {
  run: string;
  status: string;
  exitCode: number | null;
  signal: string | null;
}

/** Events of other runs kept while ours is not known yet; more are not needed to find it. */
const MAX_PENDING_EVENTS = 1_000;

/**
 * Requests a run of `id` and follows it on the event stream, subscribed before the request so
 * no line is missed: its output goes to stdout/stderr as it comes, a retry is followed to the
 * last attempt. Returns the end, or a one-line reason.
 */
export async function runAndWait(socketPath: string, id: string): Promise<{ ok: true; end: RunEnd } | { ok: false; message: string }> {
  const abort = new AbortController();
  let finish!: (outcome: { ok: true; end: RunEnd } | { ok: false; message: string }) => void;
  const finished = new Promise<{ ok: true; end: RunEnd } | { ok: false; message: string }>((resolve) => (finish = resolve));
  const tracker = runTracker((end) => finish({ ok: true, end }));
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const follow = followEvents({ socketPath, path: `/events?job=${encodeURIComponent(id)}&follow`, onEvent: tracker.onEvent, onOpen: open, signal: abort.signal });
  const first = await Promise.race([opened.then(() => null), follow]);
  if (first !== null) return { ok: false, message: reasonOf(first, 'the daemon ended the event stream') };
  void callDaemon(socketPath, 'POST', `/jobs/${encodeURIComponent(id)}/run?wait`).then((reply) => {
    if (!reply.ok || reply.status >= 400) return finish({ ok: false, message: reasonOf(reply, 'the run was not started') });
    // A run another node took (cluster) never starts here, so no run.end will come for it.
    const record = reply.body as RunEnd;
    if (record.status === 'skipped') finish({ ok: true, end: { run: record.run, status: record.status, exitCode: null, signal: null } });
  });
  void follow.then((reply) => finish({ ok: false, message: reasonOf(reply, `the daemon went away before the run of ${id} ended`) }));
  const outcome = await finished;
  abort.abort();
  return outcome;
}

// Finds our run among the job's events (run.requested names it, or the next manual start when it was queued), then its retries.
function runTracker(onEnd: (end: RunEnd) => void): { onEvent: (event: Event) => void } {
  let origin: string | null = null;
  let current: string | null = null;
  let queued = false;
  let retrying = false;
  let pending: Event[] = [];
  const follow = (event: Event): void => {
    if (retrying && event.event === 'run.start' && event.retryOf === origin) {
      current = String(event.run);
      retrying = false;
      process.stderr.write(`jobd: retry ${String(event.attempt)} of ${origin}: ${current}\n`);
    }
    if (event.run !== current) return;
    if (event.event === 'run.output') {
      (event.stream === 'stderr' ? process.stderr : process.stdout).write(`${String(event.line)}\n`);
    } else if (event.event === 'run.end') {
      const end: RunEnd = { run: String(event.run), status: String(event.status), exitCode: numberOrNull(event.exitCode), signal: stringOrNull(event.signal) };
      if (typeof event.retryAt !== 'string') return onEnd(end);
      retrying = true;
      process.stderr.write(`jobd: ${resultLine(end)}; retrying at ${event.retryAt}\n`);
    }
  };
  const found = (run: string): void => {
    origin = current = run;
    const earlier = pending;
    pending = [];
    for (const event of earlier) follow(event);
  };
  return {
    onEvent(event) {
      if (current !== null) return follow(event);
      if (event.event === 'run.requested' && !queued) {
        if (typeof event.run === 'string') return found(event.run);
        queued = true;
      } else if (queued && event.event === 'run.start' && event.trigger === 'manual') {
        found(String(event.run));
        follow(event);
      } else if (typeof event.run === 'string' && pending.length < MAX_PENDING_EVENTS) pending.push(event);
    },
  };
}

/** `backup-12: failed (exit 3)`: what `run --wait` prints last. */
export function resultLine(end: RunEnd): string {
  const detail = end.exitCode !== null ? ` (exit ${end.exitCode})` : end.signal !== null ? ` (signal ${end.signal})` : '';
  return `${end.run}: ${end.status}${detail}`;
}

/** The exit code of `run --wait`: 0 for ok, a failed run's own code (1 when it has none in 1-255), 1 otherwise. */
export function exitCodeOf(end: RunEnd): number {
  if (end.status === 'ok') return 0;
  if (end.status === 'failed' && end.exitCode !== null && end.exitCode > 0 && end.exitCode < 256) return end.exitCode;
  return 1;
}

function reasonOf(reply: DaemonReply, otherwise: string): string {
  if (!reply.ok) return reply.message;
  const error = (reply.body as { error?: unknown } | null)?.error;
  return typeof error === 'string' ? error : otherwise;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
