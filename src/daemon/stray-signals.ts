/**
 * Signals whose default action would end jobd mid-run, leaving its runs unsupervised, or
 * (SIGUSR1) open Node's inspector on 127.0.0.1:9229 for any local user to attach to. A
 * listener replaces the default action: these are logged and otherwise ignored. SIGXFSZ
 * ignored makes an oversized write fail with EFBIG, which the writers report. SIGPROF is
 * left alone: profilers use it.
 */
export const STRAY_SIGNALS: readonly NodeJS.Signals[] = ['SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGVTALRM', 'SIGXCPU', 'SIGXFSZ'];

/** One report per signal per second at most, with how many arrived: a flood is one line a second. */
const REPORT_EVERY_MS = 1_000;

type Report = (signal: NodeJS.Signals, count: number) => void;

const held = new Map<NodeJS.Signals, number>();
const windows = new Set<NodeJS.Signals>();
let report: Report | null = null;
let holding = false;

/** Takes the stray signals over; from then on none of them ends the process or opens the inspector. */
export function holdStraySignals(): void {
  if (holding) return;
  holding = true;
  for (const signal of STRAY_SIGNALS) process.on(signal, () => received(signal));
}

/** Hands the stray signals held so far, and those to come, to `onSignal`. */
export function reportStraySignals(onSignal: Report): void {
  holdStraySignals();
  report = onSignal;
  for (const signal of held.keys()) flush(signal);
}

function received(signal: NodeJS.Signals): void {
  held.set(signal, (held.get(signal) ?? 0) + 1);
  if (report && !windows.has(signal)) flush(signal);
}

function flush(signal: NodeJS.Signals): void {
  const count = held.get(signal) ?? 0;
  if (count === 0 || !report) {
    windows.delete(signal);
    return;
  }
  held.delete(signal);
  report(signal, count);
  windows.add(signal);
  setTimeout(() => flush(signal), REPORT_EVERY_MS).unref();
}
