import { createReadStream } from 'node:fs';
import { eventMatches } from '../log/event-ring.js';
import { errorMessage } from '../format/error-message.js';
import { lastLines, TAIL_MAX_LINE_BYTES } from '../log/last-lines.js';
import { createLineSplitter } from '../run/split-lines.js';
import type { EventQuery } from '../types.js';
import type { EventPrinter } from './logs-print.js';

/** Prints the lines of `--log-file` that match; `n` reads from the end. Returns how many matched, or null when the file is unreadable. */
export async function printLogFile(file: string, query: EventQuery, printer: EventPrinter): Promise<number | null> {
  const matches = (line: string): boolean => {
    const event = eventOf(line);
    // A line that is not a whole event is shown when nothing filters, since it cannot be said to match.
    if (event === null) return query.job === null && query.minLevel === null && query.sinceMs === null;
    return eventMatches(event, query) && (query.sinceMs === null || timeOf(event) >= query.sinceMs);
  };
  const show = (line: string): void => {
    const event = eventOf(line);
    if (event) printer.print(event);
    else printer.printText(line);
  };
  if (query.n !== null) {
    const sinceMs = query.sinceMs;
    const stopAt = sinceMs === null ? undefined : (line: string) => {
      const event = eventOf(line);
      return event !== null && timeOf(event) < sinceMs;
    };
    const tail = await lastLines({ file, n: query.n, matches, ...(stopAt ? { stopAt } : {}) });
    if (!tail.ok) return cannotRead(file, tail.message);
    for (const line of tail.lines) show(line.text);
    return tail.lines.length;
  }
  return printForward(file, matches, show);
}

// Everything that matches, start to end: at most one line in memory at a time, however big
// the file, and a line longer than the tail reader's bound comes out cut to it, like there.
async function printForward(file: string, matches: (line: string) => boolean, show: (line: string) => void): Promise<number | null> {
  const stream = createReadStream(file);
  const opened = await new Promise<string | null>((resolve) => {
    stream.once('open', () => resolve(null));
    stream.once('error', (error) => resolve(error.message));
  });
  if (opened !== null) return cannotRead(file, opened);
  let count = 0;
  const splitter = createLineSplitter(TAIL_MAX_LINE_BYTES);
  const budget = { left: Infinity, dropped: 0 };
  const emit = (bytes: Buffer): void => {
    const line = bytes.toString('utf8');
    if (line.trim() === '' || !matches(line)) return;
    count += 1;
    show(line);
  };
  const chunks = stream[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer>;
    // Only reading is a read error; a failure to print is not dressed up as one.
    try {
      next = (await chunks.next()) as IteratorResult<Buffer>;
    } catch (error) {
      return cannotRead(file, errorMessage(error));
    }
    if (next.done) break;
    splitter.write(next.value, budget, emit);
  }
  splitter.end(budget, emit);
  return count;
}

function cannotRead(file: string, why: string): null {
  process.stderr.write(`jobd: ${file}: cannot read the log file: ${why}\n`);
  return null;
}

function eventOf(line: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(line) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    // A line cut by a crash or by the reader's line bound is not JSON; the caller shows it as text.
    return null;
  }
}

function timeOf(event: Record<string, unknown>): number {
  const at = typeof event.time === 'string' ? Date.parse(event.time) : NaN;
  return Number.isNaN(at) ? 0 : at;
}
