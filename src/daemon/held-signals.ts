/** SIGINT and SIGTERM held back while the daemon cannot stop cleanly yet. */
export interface HeldSignals {
  /** Hands every held signal to the handlers installed by now, and holds no more. Safe to call twice. */
  release(): void;
}

/**
 * Holds SIGINT and SIGTERM from the first moment of start-up: before the state
 * file is restored a stop would save over it, and without a handler Node dies
 * of the signal instead of exiting 0. Loading a large state file takes a second.
 */
export function holdStopSignals(): HeldSignals {
  const held: NodeJS.Signals[] = [];
  const hold = (signal: NodeJS.Signals): void => void held.push(signal);
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      process.off('SIGINT', hold);
      process.off('SIGTERM', hold);
      for (const signal of held) process.emit(signal, signal);
    },
  };
}
