import { writeSync } from 'node:fs';
import type { Sink } from './sinks.js';
import { errorField, errorMessage } from '../format/error-message.js';

/** At most one stderr line per destination in this time; it counts the lines lost meanwhile. */
const REPORT_EVERY_MS = 10_000;
/** After a failed write, lines are dropped (and counted) this long before the next try. */
const HOLD_OFF_MS = 1_000;
/** A destination that could not be opened is tried again this often, and on every SIGHUP. */
const REOPEN_EVERY_MS = 10_000;

/** Errors after which a stream takes no more lines: its reader or its terminal is gone. */
const GONE = new Set(['EPIPE', 'EIO', 'EBADF', 'ENXIO', 'ECONNRESET', 'ENOTCONN']);

export interface GuardedWriterOptions {
  /** Names the destination on stderr: `stdout`, `log file /var/log/jobd.log`. */
  name: string;
  sink: Sink;
  /** For a stream that can go away for good (stdout): what jobd does without it, said once. */
  whenGone?: string;
  /** How long to drop lines after a failed write before trying again (default 1 s). */
  holdOffMs?: number;
  /** Where notices go (stderr unless a test listens). */
  say?: (line: string) => void;
  now?: () => number;
}

/** A log destination that never throws: failures become rate-limited lines on stderr. */
export interface GuardedWriter {
  write(text: string): void;
  /** Opens the destination again (SIGHUP); a failure is reported like a failed write. */
  reopen(): void;
}

/**
 * Every log destination goes through one of these, so a full disk, a log path that
 * became a directory or a closed pipe costs log lines, never the daemon: sync throws
 * are caught here, and the destination is retried (after a pause, on SIGHUP, every 10 s).
 */
export function guardedWriter(options: GuardedWriterOptions): GuardedWriter {
  const { name, sink, whenGone } = options;
  const say = options.say ?? sayOnStderr;
  const now = options.now ?? Date.now;
  const holdOffMs = options.holdOffMs ?? HOLD_OFF_MS;
  const losses = lossReport(name, say, now);
  let gone = false;
  let closed = false;
  let lastOpenTry = -Infinity;
  let heldUntil = -Infinity;
  let problem = '';

  const failed = (error: unknown, lines: number, doing: 'write' | 'open'): void => {
    const code = errorField(error, 'code') ?? '';
    if (whenGone !== undefined && GONE.has(code)) {
      gone = true;
      say(`jobd: ${name} is gone (${code}); ${whenGone}\n`);
      return;
    }
    const retry = doing === 'open' ? '; trying again on SIGHUP and every 10 s' : '';
    problem = `${doing} failed (${errorMessage(error)})${retry}`;
    heldUntil = now() + holdOffMs;
    losses.lost(lines, problem);
  };
  const open = (): void => {
    lastOpenTry = now();
    try {
      sink.reopen?.();
      closed = false;
      heldUntil = -Infinity;
    } catch (error) {
      closed = true;
      failed(error, 0, 'open');
    }
  };

  return {
    write(text) {
      if (gone) return;
      const lines = countLines(text);
      if (closed && now() - lastOpenTry >= REOPEN_EVERY_MS) open();
      if (closed || now() < heldUntil) return losses.lost(lines, problem);
      try {
        sink.write(text);
      } catch (error) {
        return failed(error, lines, 'write');
      }
      losses.recovered();
    },
    reopen() {
      if (!gone) open();
    },
  };
}

// Counts the lines a destination lost and says so, at most once per REPORT_EVERY_MS.
function lossReport(name: string, say: (line: string) => void, now: () => number) {
  let lost = 0;
  let lastSaid = -Infinity;
  const mayTell = (): boolean => now() - lastSaid >= REPORT_EVERY_MS;
  const tell = (text: string): void => {
    lastSaid = now();
    const lostText = lost > 0 ? `; ${lost} log line${lost === 1 ? '' : 's'} lost` : '';
    lost = 0;
    say(`jobd: ${name}: ${text}${lostText}\n`);
  };
  return {
    lost(lines: number, problem: string): void {
      lost += lines;
      if (mayTell()) tell(problem);
    },
    recovered(): void {
      if (lost > 0 && mayTell()) tell('writing again');
    },
  };
}

function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count += 1;
  return Math.max(count, 1);
}

function sayOnStderr(line: string): void {
  try {
    writeSync(2, line);
  } catch {
    // stderr is gone too: there is nowhere left to say it.
  }
}
