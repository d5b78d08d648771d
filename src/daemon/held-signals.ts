/** The stop signals (and SIGHUP) held back while the daemon cannot stop cleanly yet. */
export interface HeldSignals {
  /** Hands every held signal to the handlers installed by now, and holds no more. Safe to call twice. */
  release(): void;
}

/**
 * Holds SIGINT, SIGTERM, SIGQUIT and SIGHUP from the first moment of start-up: before
 * the state file is restored a stop would save over it, and without a handler Node dies
 * of the signal instead of exiting 0 (SIGHUP too: a terminal closed while jobd starts).
 * Loading a large state file takes a second.
 */
export function holdStopSignals(): HeldSignals {
  const held: NodeJS.Signals[] = [];
  // Two of a kind are all that count (the second skips the shutdown wait), so a flood holds no more.
  const hold = (signal: NodeJS.Signals): void => {
    if (held.filter((s) => s === signal).length < 2) held.push(signal);
  };
  for (const signal of HELD) process.on(signal, hold);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      for (const signal of HELD) process.off(signal, hold);
      for (const signal of held) process.emit(signal, signal);
    },
  };
}

const HELD: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGHUP'];
