import type { RunObserver } from '../types.js';
import type { HookObserver } from './follow-up.js';
import { errorMessage } from '../format/error-message.js';

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
        report(`observer ${name} failed: ${errorMessage(error)}`);
      }
    };
  return {
    onStart: guard('onStart', observer.onStart),
    onOutput: guard('onOutput', observer.onOutput),
    onOutputDropped: guard('onOutputDropped', observer.onOutputDropped),
    onTimeout: guard('onTimeout', observer.onTimeout),
    onFollowUpError: guard('onFollowUpError', observer.onFollowUpError),
    onHookOutput: guard('onHookOutput', observer.onHookOutput ?? (() => undefined)),
    onHookEnd: guard('onHookEnd', observer.onHookEnd ?? (() => undefined)),
  };
}

/** A hook observer with its callbacks guarded the same way. */
export function guardHookObserver(observer: HookObserver, report: (message: string) => void): HookObserver {
  const { onHookOutput, onHookEnd } = guardObserver(
    { onStart: noop, onOutput: noop, onOutputDropped: noop, onTimeout: noop, onFollowUpError: noop, ...observer },
    report,
  );
  return { onHookOutput, onHookEnd };
}

function noop(): void {}
