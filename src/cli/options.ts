import { resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import type { DaemonConfig, LogLevel } from '../types.js';
import { parseDuration } from '../job/duration.js';
import type { TrustRules } from '../job/file-trust.js';
import { parseListenAddress } from '../metrics/metrics-server.js';
import { clusterConfig, clusterOptions } from './cluster-options.js';

const LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** Option value parser: an integer ≥ 1. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  }
  return n;
}

/** Option value parser: a duration (SPEC §4) in ms. */
export function durationMs(value: string): number {
  const parsed = parseDuration(/^\d+(\.\d+)?$/.test(value) ? Number(value) : value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.message);
  return parsed.value;
}

/**
 * Option value parser: an IANA time zone name. The same value arriving through
 * `TZ` may be a POSIX form (`:/etc/localtime`) every other program accepts; it
 * then means the system zone rather than a usage error.
 */
export function timezone(value: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value;
  } catch {
    // Only a POSIX form (`:/etc/localtime`, `CET-1CEST`) is left to mean the system zone;
    // a name such as `Mars/Base` is a typo, and `unknown time zone ""` would hide it.
    // (commander stores such an env value as "", which every caller reads as the system zone).
    if (process.env.TZ === value && !looksLikeZoneName(value)) return undefined;
    throw new InvalidArgumentError(`unknown time zone "${value}"; expected an IANA time zone such as "Europe/Paris"`);
  }
}

function looksLikeZoneName(value: string): boolean {
  return /^[A-Za-z][A-Za-z_+-]*(\/[A-Za-z0-9_+-]+)+$/.test(value);
}

/** Option value parser: `[host:]port` for `--metrics` and `--http`. */
export function listenAddress(value: string): { host: string; port: number } {
  const address = parseListenAddress(value);
  if (!address) throw new InvalidArgumentError(`expected [host:]port such as 9464 or 0.0.0.0:9464, got "${value}"`);
  return address;
}

/** The options every command that finds the daemon's files takes. */
export function locationOptions(): Option[] {
  return [
    new Option('--jobs-dir <dir>', 'directory of job files').env('JOBD_JOBS_DIR').default('./jobs.d'),
    new Option('--state-file <file>', 'state file').env('JOBD_STATE_FILE').default('./jobs_state.json'),
    new Option('--socket <path>', 'control socket (default: jobd.sock beside the state file)').env('JOBD_SOCKET'),
  ];
}

/** The options of `jobd start` beyond the locations (SPEC §1). */
export function startOptions(): Option[] {
  return [
    new Option('--log-file <file>', 'also write JSON logs to this file').env('JOBD_LOG_FILE'),
    new Option('--followup-log <file>', 'timeout follow-up log').env('JOBD_FOLLOWUP_LOG').default('./jobd-followups.log'),
    new Option('--log-level <level>', 'minimum level logged').env('JOBD_LOG_LEVEL').choices(LEVELS).default('info'),
    new Option('--max-concurrency <n>', 'commands running at once').env('JOBD_MAX_CONCURRENCY').argParser(positiveInt).default(32),
    new Option('--shutdown-grace <duration>', 'time runs get to finish on shutdown').env('JOBD_SHUTDOWN_GRACE').argParser(durationMs).default(10_000, '10s'),
    new Option('--timezone <tz>', 'zone for cron jobs without their own').env('TZ').argParser(timezone),
    new Option('--metrics <[host:]port>', 'serve Prometheus metrics and /healthz (loopback when only a port)').env('JOBD_METRICS').argParser(listenAddress),
    ...httpOptions(),
    ...trustOptions(),
    ...clusterOptions(),
    new Option('--pretty', 'human-readable log lines (default when stdout is a terminal)'),
    new Option('--no-pretty', 'JSON log lines'),
  ];
}

/** The status page's options (README: Status page). */
function httpOptions(): Option[] {
  return [
    new Option('--http <[host:]port>', 'serve the status page and /api/ (loopback when only a port)').env('JOBD_HTTP').argParser(listenAddress),
    new Option('--http-token-file <file>', 'bearer token (file mode 0600) every --http request must carry; required off loopback').env('JOBD_HTTP_TOKEN_FILE'),
    new Option('--http-show-env', 'show env values of jobs on the status page instead of ***'),
  ];
}

/** The options that relax job-file trust checks; `validate` and `next` take them too. */
export function trustOptions(): Option[] {
  return [
    new Option('--insecure-permissions', 'accept job files and directories writable by group or others, or owned by another user'),
    new Option('--follow-symlinks', 'accept symlinks in the jobs dir that point outside it'),
  ];
}

/** The trust rules those options set. */
export function trustRules(options: { insecurePermissions?: boolean; followSymlinks?: boolean }): TrustRules {
  return { insecurePermissions: options.insecurePermissions === true, followSymlinks: options.followSymlinks === true };
}

export interface LocationOptions {
  jobsDir: string;
  stateFile: string;
  socket?: string;
}

/** The socket path: given, or `jobd.sock` beside the state file. */
export function socketPath(options: LocationOptions, cwd: string): string {
  return options.socket ? resolve(cwd, options.socket) : resolve(cwd, options.stateFile, '..', 'jobd.sock');
}

function httpConfig(options: Record<string, unknown>, cwd: string): DaemonConfig['http'] {
  const address = options.http as { host: string; port: number } | undefined;
  if (!address) return null;
  const tokenFile = options.httpTokenFile as string | undefined;
  return { ...address, tokenFile: tokenFile ? resolve(cwd, tokenFile) : null, showEnv: options.httpShowEnv === true };
}

/** Turns parsed `start` options into the daemon's configuration, with absolute paths. */
export function daemonConfig(options: Record<string, unknown> & LocationOptions, cwd: string): DaemonConfig {
  const logFile = options.logFile as string | undefined;
  return {
    jobsDir: resolve(cwd, options.jobsDir),
    stateFile: resolve(cwd, options.stateFile),
    logFile: logFile ? resolve(cwd, logFile) : null,
    followUpLog: resolve(cwd, options.followupLog as string),
    socket: socketPath(options, cwd),
    logLevel: options.logLevel as LogLevel,
    maxConcurrency: options.maxConcurrency as number,
    shutdownGraceMs: options.shutdownGrace as number,
    timezone: (options.timezone as string | undefined) || null,
    metrics: (options.metrics as DaemonConfig['metrics'] | undefined) ?? null,
    http: httpConfig(options, cwd),
    pretty: typeof options.pretty === 'boolean' ? options.pretty : process.stdout.isTTY === true,
    cwd,
    cluster: clusterConfig(options),
    ...trustRules(options as { insecurePermissions?: boolean; followSymlinks?: boolean }),
  };
}
