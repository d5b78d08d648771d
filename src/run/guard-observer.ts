import type { RunObserver } from '../types.js';

/** The observer with every callback guarded: a throwing callback is reported once through `report`, never thrown into a run. */
export function guardObserver(observer: RunObserver, report: (message: string) => void): RunObserver {
  const reported = new Set<string>();
  const guard =
    <A extends unknown[]>(name: keyof RunObserver, callback: (...args: A) => void) =>
    (...args: A): void => {
      try {
        callback.apply(observer, args);
      } catch (error) {
        // One report per callback: a broken sink would otherwise add a line to the result per output line.
        if (reported.has(name)) return;
        reported.add(name);
        report(`observer ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
  return {
    onStart: guard('onStart', observer.onStart),
    onOutput: guard('onOutput', observer.onOutput),
    onOutputDropped: guard('onOutputDropped', observer.onOutputDropped),
    onTimeout: guard('onTimeout', observer.onTimeout),
    onFollowUpError: guard('onFollowUpError', observer.onFollowUpError),
  };
}
