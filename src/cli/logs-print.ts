import { prettyLine } from '../log/pretty.js';

/** Prints events for people and remembers the last instant printed, so a reconnect prints nothing twice. */
export interface EventPrinter {
  print(event: Record<string, unknown>): void;
  /** A line that is not a whole JSON event (e.g. one cut in a log file) is shown as it is. */
  printText(text: string): void;
  /** The `time` of the last event printed, or null. */
  lastTime(): string | null;
  /** From now on, events at the last instant that were printed already are skipped once each. */
  replaying(): void;
}

/** An EventPrinter on stdout; colours only on a terminal without NO_COLOR. */
export function eventPrinter(): EventPrinter {
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  let last: string | null = null;
  // Events printed at `last`: two identical lines in the same millisecond are two lines, so these are counts.
  let atLast = new Map<string, number>();
  let skip = new Map<string, number>();
  return {
    print(event) {
      const time = typeof event.time === 'string' ? event.time : null;
      const key = JSON.stringify(event);
      if (time !== null && time === last && (skip.get(key) ?? 0) > 0) {
        skip.set(key, skip.get(key)! - 1);
        return;
      }
      if (time !== null && (last === null || time > last)) {
        last = time;
        atLast = new Map();
        skip = new Map();
      }
      if (time !== null && time === last) atLast.set(key, (atLast.get(key) ?? 0) + 1);
      process.stdout.write(`${prettyLine(event, color)}\n`);
    },
    printText(text) {
      process.stdout.write(`${text}\n`);
    },
    lastTime: () => last,
    replaying() {
      skip = new Map(atLast);
    },
  };
}
