import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { JOBD_BIN } from './cli.js';

/** One parsed JSON log line. */
export type LogEvent = Record<string, unknown> & { event?: string; job?: string; run?: string };

export type EventMatch = string | ((event: LogEvent) => boolean);

export interface StartDaemonOptions {
  /** Temp dir holding `jobs.d/`; the daemon's cwd and home of its state, socket and follow-up log. */
  dir: string;
  args?: string[];
  env?: Record<string, string>;
  followupLog?: string;
  shutdownGrace?: string;
  /** Resolve only once `daemon.start` is logged (default true). */
  waitForStart?: boolean;
  startTimeoutMs?: number;
}

export interface DaemonProcess {
  pid: number;
  child: ChildProcess;
  stateFile: string;
  followupLog: string;
  /** Parsed JSON lines of stdout, in order. */
  events: LogEvent[];
  /** stdout lines that were not JSON. */
  otherLines: string[];
  /** Raw stdout lines, JSON or not. */
  rawLines: string[];
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  eventsOf(name: string, job?: string): LogEvent[];
  /** Waits for a matching event at index `after` or later; returns it. */
  waitForEvent(match: EventMatch, options?: { timeoutMs?: number; after?: number }): Promise<LogEvent>;
  /** Waits until `count` matching events exist at index `after` or later. */
  waitForEvents(match: EventMatch, count: number, options?: { timeoutMs?: number; after?: number }): Promise<LogEvent[]>;
  /** The current end of the event list, to wait only for what comes after. */
  mark(): number;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits for the exit without signalling; SIGKILLs and throws after `timeoutMs`. */
  exitWithin(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill9(): Promise<void>;
}

const live = new Set<DaemonProcess>();

/** Spawns `bin/jobd.js start` on `<dir>/jobs.d` with every path inside `dir`. */
export async function startDaemon(options: StartDaemonOptions): Promise<DaemonProcess> {
  const { dir } = options;
  const stateFile = join(dir, 'jobs_state.json');
  const followupLog = options.followupLog ?? join(dir, 'followups.log');
  const args = [
    JOBD_BIN, 'start',
    '--jobs-dir', join(dir, 'jobs.d'),
    '--state-file', stateFile,
    '--followup-log', followupLog,
    '--socket', join(dir, 'jobd.sock'),
    '--no-pretty',
    '--shutdown-grace', options.shutdownGrace ?? '2s',
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const daemon = wrap(child, stateFile, followupLog);
  live.add(daemon);
  void daemon.exited.then(() => live.delete(daemon));
  if (options.waitForStart !== false) {
    await daemon.waitForEvent('daemon.start', { timeoutMs: options.startTimeoutMs ?? 15_000 });
  }
  return daemon;
}

/** SIGKILLs every daemon a test left running; for afterEach. */
export async function killLeftoverDaemons(): Promise<void> {
  await Promise.all([...live].map((daemon) => daemon.kill9()));
}

function wrap(child: ChildProcess, stateFile: string, followupLog: string): DaemonProcess {
  const events: LogEvent[] = [];
  const otherLines: string[] = [];
  const rawLines: string[] = [];
  let stderr = '';
  let exitedFlag = false;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());

  createInterface({ input: child.stdout! }).on('line', (line) => {
    rawLines.push(line);
    const parsed = parseJsonLine(line);
    if (parsed) events.push(parsed);
    else otherLines.push(line);
    notify();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      exitedFlag = true;
      // Let the last stdout lines arrive before anyone reads them.
      setTimeout(() => {
        notify();
        resolve({ code, signal });
      }, 50);
    });
  });

  const matches = (match: EventMatch) => (event: LogEvent) =>
    typeof match === 'string' ? event.event === match : match(event);

  const waitForEvents: DaemonProcess['waitForEvents'] = (match, count, { timeoutMs = 10_000, after = 0 } = {}) =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = events.slice(after).filter(matches(match));
        if (found.length >= count) return finish(() => resolve(found.slice(0, count)));
        if (exitedFlag) return finish(() => reject(failure(`daemon exited before ${describeMatch(match)}`)));
        return false;
      };
      const timer = setTimeout(
        () => finish(() => reject(failure(`timed out after ${timeoutMs} ms waiting for ${count} × ${describeMatch(match)}`))),
        timeoutMs,
      );
      const finish = (settle: () => void): true => {
        clearTimeout(timer);
        listeners.delete(onChange);
        settle();
        return true;
      };
      const onChange = () => void check();
      listeners.add(onChange);
      check();
    });

  const failure = (message: string) => {
    const tail = rawLines.slice(-15).join('\n');
    return new Error(`${message}\n--- last stdout lines ---\n${tail}\n--- stderr ---\n${stderr.slice(-2000)}`);
  };

  const daemon: DaemonProcess = {
    pid: child.pid!,
    child,
    stateFile,
    followupLog,
    events,
    otherLines,
    rawLines,
    stderr: () => stderr,
    exited,
    hasExited: () => exitedFlag,
    eventsOf: (name, job) => events.filter((e) => e.event === name && (job === undefined || e.job === job)),
    waitForEvent: async (match, options) => (await waitForEvents(match, 1, options))[0]!,
    waitForEvents,
    mark: () => events.length,
    stop: async (signal = 'SIGTERM', timeoutMs = 20_000) => {
      if (!exitedFlag) child.kill(signal);
      return daemon.exitWithin(timeoutMs);
    },
    exitWithin: async (timeoutMs = 20_000) => {
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
      const result = await Promise.race([exited, timeout]);
      if (result === 'timeout') {
        child.kill('SIGKILL');
        throw failure(`daemon did not exit within ${timeoutMs} ms`);
      }
      return result;
    },
    kill9: async () => {
      if (!exitedFlag) child.kill('SIGKILL');
      await exited;
    },
  };
  return daemon;
}

function parseJsonLine(line: string): LogEvent | null {
  if (!line.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as LogEvent) : null;
  } catch {
    return null;
  }
}

function describeMatch(match: EventMatch): string {
  return typeof match === 'string' ? `event "${match}"` : `event matching ${match.toString().slice(0, 160)}`;
}
