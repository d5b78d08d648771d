import { pino, type DestinationStream, type Logger, type StreamEntry } from 'pino';
import type { LogLevel } from '../types.js';
import { batchedStream } from './batched-stream.js';
import { guardedWriter } from './guarded-writer.js';
import { prettyLine } from './pretty.js';
import { fdSink, fileSink } from './sinks.js';
import { errorMessage } from '../format/error-message.js';

type Listener = (event: Record<string, unknown>) => void;

/** The daemon's logger and the handles that manage where its lines go. */
export interface DaemonLogger {
  logger: Logger;
  /** Reopens `--log-file` (SIGHUP, after logrotate moved it). */
  reopen(): void;
  /** Writes out anything buffered; safe to call on the way out. */
  flush(): void;
  /** Receives every event as an object (the control socket's `/events`). */
  subscribe(listener: Listener): () => void;
  /** Every line as pino wrote it (no newline), before any parse: for keepers that read lines only when asked. */
  keepLines(keeper: (line: string) => void): void;
}

/**
 * Builds the pino logger: JSON or pretty lines on stdout, JSON in `--log-file`, a tap for
 * subscribers. Each destination is guarded: a failing one loses lines, never the daemon.
 * Throws only when `--log-file` cannot be opened at start-up, before anything runs.
 */
export function createLogger(options: { level: LogLevel; pretty: boolean; logFile: string | null }): DaemonLogger {
  const listeners = new Set<Listener>();
  let keeper: ((line: string) => void) | null = null;
  ignoreStdioErrors();
  const file = options.logFile ? openLogFile(options.logFile) : null;
  const fileLines = file ? batchedStream(file) : null;
  const stdoutLines = batchedStream(guardedWriter({
    name: 'stdout',
    sink: fdSink(1),
    whenGone: options.logFile ? `logging only to ${options.logFile}` : 'no --log-file, so log lines now reach only GET /events',
  }));
  const stdout: DestinationStream = options.pretty ? prettyLines(stdoutLines) : stdoutLines;
  // One subscriber's failure must not cost the others their next lines: no pause after it.
  const tap = guardedWriter({ name: 'log subscribers', holdOffMs: 0, sink: { write: (line) => {
    keeper?.(line.endsWith('\n') ? line.slice(0, -1) : line);
    tellListeners(listeners, line);
  } } });
  const streams: StreamEntry[] = [{ level: options.level, stream: stdout }, { level: options.level, stream: tap }];
  if (fileLines) streams.push({ level: options.level, stream: fileLines });
  const logger = pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(streams),
  );
  return {
    logger,
    reopen() {
      // Lines logged before the signal belong in the file logrotate moved away.
      fileLines?.flush();
      file?.reopen();
    },
    flush() {
      stdoutLines.flush();
      fileLines?.flush();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    keepLines(next) {
      keeper = next;
    },
  };
}

// Log lines never go through process.stdout/stderr, but Node's own warnings do (and a
// library could): on a closed pipe or terminal their 'error' would otherwise end the daemon.
function ignoreStdioErrors(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') === 0) stream.on('error', () => undefined);
  }
}

function openLogFile(path: string): ReturnType<typeof guardedWriter> {
  const sink = fileSink(path);
  try {
    sink.reopen!();
  } catch (error) {
    throw new Error(`${path}: cannot open the log file (${errorMessage(error)})`);
  }
  return guardedWriter({ name: `log file ${path}`, sink });
}

function prettyLines(target: DestinationStream): DestinationStream {
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  return {
    write(line: string) {
      target.write(`${prettyLine(JSON.parse(line) as Record<string, unknown>, color)}\n`);
    },
  };
}

// Every listener gets the line even when one before it throws; the first error is the guard's to report.
function tellListeners(listeners: Set<Listener>, line: string): void {
  // Parsing costs; only pay it when someone listens.
  if (listeners.size === 0) return;
  const event = JSON.parse(line) as Record<string, unknown>;
  let failure: unknown = null;
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== null) throw failure;
}
