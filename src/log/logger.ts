import { pino, type DestinationStream, type Logger, type StreamEntry } from 'pino';
import type { LogLevel } from '../types.js';
import { batchedStream } from './batched-stream.js';
import { prettyLine } from './pretty.js';

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
}

/** Builds the pino logger: JSON or pretty lines on stdout, JSON in `--log-file`, a tap for subscribers. */
export function createLogger(options: { level: LogLevel; pretty: boolean; logFile: string | null }): DaemonLogger {
  const listeners = new Set<Listener>();
  const file = options.logFile ? pino.destination({ dest: options.logFile, mkdir: true, sync: true }) : null;
  const fileLines = file ? batchedStream(file) : null;
  const stdoutLines = options.pretty ? null : batchedStream(pino.destination({ fd: 1, sync: true }));
  const stdout = stdoutLines ?? prettyStdout();
  const tap: DestinationStream = {
    write(line: string) {
      // Parsing costs; only pay it when someone listens.
      if (listeners.size === 0) return;
      const event = JSON.parse(line) as Record<string, unknown>;
      for (const listener of listeners) listener(event);
    },
  };
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
      stdoutLines?.flush();
      fileLines?.flush();
      file?.flushSync();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function prettyStdout(): DestinationStream {
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  return {
    write(line: string) {
      process.stdout.write(`${prettyLine(JSON.parse(line) as Record<string, unknown>, color)}\n`);
    },
  };
}
