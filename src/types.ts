// The vocabulary of jobd, in the order data moves: file event → job →
// schedule → fire → run → result → state. Types only; no code lives here.

// ── shared ──────────────────────────────────────────────────────────────

/** One problem with one input, reported as `file: path: message`. */
export interface Problem {
  file: string;
  /** Dotted field path (`schedule.timezone`, `command.1`), `line 3 column 5` for JSON syntax, or `` for the whole file. */
  path: string;
  message: string;
}

/**
 * The outcome of reading something that may be invalid: never thrown, always returned.
 * Warnings (a job file's repeated key) are told to the user but accept the input.
 */
export type Loaded<T> = { ok: true; value: T; warnings?: Problem[] } | { ok: false; problems: Problem[]; warnings?: Problem[] };

/** A single-message outcome for pure helpers (durations, schedules) before a file name is known. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; path: string; message: string };

// ── ① file event (watch/) ───────────────────────────────────────────────

export type JobFileEventKind = 'added' | 'changed' | 'removed';

export interface JobFileEvent {
  kind: JobFileEventKind;
  /** Absolute path of a file that passed isJobFileName. */
  file: string;
}

// ── ② job (job/) ────────────────────────────────────────────────────────

/** A string runs through `/bin/sh -c`; an array is argv, no shell. */
export type Command = { shell: string } | { argv: string[] };

export type OverlapPolicy = 'skip' | 'queue' | 'allow' | 'replace';

/** What happens to a run that ended `interrupted`: recorded only, or started again at the next start. */
export type InterruptedPolicy = 'record' | 'resume';

/** A validated, normalised job: every default applied, every duration in ms. */
export interface Job {
  id: string;
  /** Absolute path of the file that declared it. */
  file: string;
  description?: string;
  /** null when the job runs only `after` other jobs. */
  schedule: Schedule | null;
  command: Command;
  /** Stringified: appended to argv, or `$1…$n` for a shell command. */
  args: string[];
  /** Absolute working directory. */
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number | null;
  killGraceMs: number;
  onTimeout: Command | null;
  /** After a run ends failed (after its last retry) or by timeout. */
  onFailure: Command | null;
  /** After a run ends ok. */
  onSuccess: Command | null;
  overlap: OverlapPolicy;
  retries: number;
  retryDelayMs: number;
  maxRuns: number | null;
  jitterMs: number;
  catchUp: boolean;
  /** Cluster mode: `continue` keeps the run going when its lease cannot be renewed; absent means `stop` (and leaves the definition hash of existing jobs as it was). */
  onLeaseLoss?: 'continue';
  after: string[];
  enabled: boolean;
  maxOutput: number;
  onInterrupted: InterruptedPolicy;
  /** How many times in a row an interrupted run is resumed before it is only recorded. */
  maxResumes: number;
}

// ── ③ schedule (schedule/) ──────────────────────────────────────────────

export type Schedule =
  /** 5- or 6-field cron or a macro; `timezone` null means the system zone. */
  | { kind: 'cron'; expression: string; timezone: string | null }
  /** A fixed period; the timeline is anchored at the first fire. */
  | { kind: 'interval'; everyMs: number }
  /** Once, at an instant (ISO 8601, UTC); `timezone`: the zone it was written in, for display only. */
  | { kind: 'once'; at: string; timezone?: string }
  /** `@reboot` / `@start`: once each time the daemon starts, never on a timer. */
  | { kind: 'start' };

/** Fires of a schedule that passed while the loop could not serve them (a stall, a suspend). */
export interface MissedFires {
  count: number;
  /** Epoch ms of the first and last missed fire. */
  first: number;
  last: number;
  /** Counting stopped at `count`; more were missed. */
  truncated?: true;
}

// ── ④ fire (daemon/) ────────────────────────────────────────────────────

export type Trigger = 'schedule' | 'manual' | 'retry' | 'after' | 'catchup' | 'resume';

/** A decision that a job should run now, before the policies have spoken. */
export interface Fire {
  jobId: string;
  trigger: Trigger;
  /** The instant the fire was due (before jitter), epoch ms. */
  scheduledAt: number;
  /** For a retry: the run it retries, and which attempt this is (1 = first retry). */
  retryOf?: string;
  attempt?: number;
  /** When it was meant to start, if later than `scheduledAt` (jitter, a retry's delay); lateness counts from here. */
  dueAt?: number;
  /** What held it back before it started, when a policy did. */
  heldBy?: 'concurrency' | 'overlap';
  /** For a resume: the interrupted run it resumes, and how many resumes in a row this is (1 = first). */
  resumeOf?: string;
  resumeCount?: number;
  /** In a cluster, the node whose run it resumes, when not this one (a reaped run). */
  resumeOfNode?: string;
  /** The run id, when it was taken before the fire (a resume is named at start, before it runs). */
  runId?: string;
}

/** What the overlap, concurrency and maxRuns policies make of a fire. */
export type FireDecision =
  | { action: 'start' }
  | { action: 'skip'; reason: 'overlap' | 'maxRuns' | 'paused' | 'disabled'; runningRun?: string }
  | { action: 'queue' }
  | { action: 'wait' }
  | { action: 'replace'; runningRuns: string[] };

// ── ⑤ run → result (run/) ───────────────────────────────────────────────

export type RunStatus = 'ok' | 'failed' | 'timeout' | 'cancelled' | 'interrupted' | 'skipped';

/** A run about to start: everything run/ needs, nothing it must decide. */
export interface Run {
  /** `<job>-<counter>`. */
  id: string;
  job: Job;
  trigger: Trigger;
  scheduledAt: number;
  retryOf?: string;
  attempt?: number;
  /** Marks this daemon's processes (JOBD_INSTANCE): the same for every run of one state file. */
  instance?: string;
  /** The cluster node running it (`--node-id`); absent on a single host. */
  node?: string;
  resumeOf?: string;
  resumeCount?: number;
  /** JOBD_CHECKPOINT: the job's checkpoint file. */
  checkpoint?: string;
}

/** How a run ended. `runJob` always resolves to one of these; it never rejects. */
export interface RunResult {
  run: string;
  job: string;
  trigger: Trigger;
  status: Exclude<RunStatus, 'skipped'>;
  /** ISO instants. */
  scheduledAt: string;
  startedAt: string;
  endedAt: string;
  /** From a monotonic clock. */
  durationMs: number;
  pid: number | null;
  exitCode: number | null;
  signal: string | null;
  /** Why the run could not start or be watched to its end (spawn error, missing cwd, output held open), in words. */
  error?: string;
  /** The last `maxOutput` bytes of each stream. */
  stdout: string;
  stderr: string;
  retryOf?: string;
  attempt?: number;
  /** A resumed run: the interrupted run it resumed (JOBD_RESUME_OF), and how many resumes in a row it is. */
  resumeOf?: string;
  resumeCount?: number;
  /** Processes of the run that signalling its group did not reach (they left it, or outlived the command), stopped by jobd; absent when none. */
  escaped?: number;
  /** For a run recorded `interrupted` at start: processes of it still running after jobd died, stopped before anything was fired; absent when none. */
  orphansStopped?: number;
  /** The cluster node that ran it (history read from the cluster); absent on a single host. */
  node?: string;
}

/** A line a run printed, as it arrived. */
export interface OutputLine {
  stream: 'stdout' | 'stderr';
  line: string;
  /** The line was longer than the cap (16 KiB): this is its head, the rest was not logged. */
  truncated?: boolean;
}

/** What a timed-out run leaves in the follow-up log (SPEC §6), one JSON line. */
export interface FollowUpRecord {
  time: string;
  job: string;
  run: string;
  reason: 'timeout';
  timeoutMs: number;
  elapsedMs: number;
  pid: number | null;
  command: string;
  signal: string;
}

/** Callbacks through which run/ reports facts; it never logs by itself. */
export interface RunObserver {
  onStart(pid: number | null): void;
  onOutput(output: OutputLine): void;
  /** Lines not logged because the run printed more than its lines per second; counts since the last report. */
  onOutputDropped(dropped: { stdout: number; stderr: number }): void;
  onTimeout(record: FollowUpRecord): void;
  /** A follow-up log or onTimeout command that could not do its work. */
  onFollowUpError(error: { path?: string; message: string }): void;
  /** A line a hook command printed, bounded like run output. */
  onHookOutput?(hook: HookName, output: OutputLine): void;
  /** A hook command ended (or could not start). */
  onHookEnd?(hook: HookName, end: HookEnd): void;
}

/** The job fields that hold follow-up commands. */
export type HookName = 'onTimeout' | 'onSuccess' | 'onFailure';

/** How a hook command ended. */
export interface HookEnd {
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** Why it could not start or was killed, in words. */
  error?: string;
  /** Lines not logged because it printed more than its lines per second. */
  dropped?: number;
}

/** A started run: its result, and the ways to stop it early. */
export interface RunHandle {
  result: Promise<RunResult>;
  /** Stops the process group (SIGTERM, then SIGKILL after killGrace); the result says `status`. */
  stop(status: 'cancelled' | 'interrupted'): void;
  /** Skips the rest of killGrace: SIGKILL now. */
  kill(): void;
}

// ── ⑥ state (state/) ────────────────────────────────────────────────────

export type JobState = 'scheduled' | 'running' | 'paused' | 'disabled' | 'done' | 'invalid';

/** A run recorded as skipped by the overlap policy. */
export interface SkippedRun {
  run: string;
  job: string;
  trigger: Trigger;
  status: 'skipped';
  scheduledAt: string;
  reason: string;
}

export type RunRecord = RunResult | SkippedRun;

/** What jobd remembers of one job across restarts. */
export interface JobRecord {
  id: string;
  file: string;
  definition: Job | null;
  state: JobState;
  /** ISO instants. */
  nextRunAt: string | null;
  lastFireAt: string | null;
  /** When the last run started, and when the last `ok` run ended: what `after` compares (history is capped). */
  lastStartedAt: string | null;
  lastOkAt: string | null;
  runCount: number;
  /** The counter behind run ids, so ids stay unique across restarts. */
  runSeq: number;
  paused: boolean;
  lastRun: RunRecord | null;
  /** Most recent last, at most HISTORY_LIMIT entries. */
  history: RunRecord[];
  /** Problems of the file when state is `invalid`. */
  problems?: Problem[];
}

export interface RunningRecord {
  run: string;
  job: string;
  pid: number | null;
  startedAt: string;
  trigger: Trigger;
  scheduledAt: string;
  /** A resumed run's link, so that a crash during it still counts toward maxResumes. */
  resumeOf?: string;
  resumeCount?: number;
}

/** A job's checkpoint file as jobd last saw it. */
export interface CheckpointInfo {
  bytes: number;
  /** ISO instant. */
  modifiedAt: string;
}

/**
 * Where a job's checkpoint lives between runs: a file per job beside the state file on one
 * host. Every method resolves; a problem is returned in words, never thrown.
 */
export interface CheckpointStore {
  /** The path handed to the job's runs as JOBD_CHECKPOINT. */
  pathOf(job: string): string;
  /** Makes sure the file exists (empty on first use) and is private before a run starts; the problem in words, or null. */
  prepare(job: string): Promise<string | null>;
  /** Its size in bytes now, or null when there is no regular file; without waiting, for the end of a run. */
  sizeOf(job: string): number | null;
  /** Size and age, or null when there is no checkpoint (or it is not a regular file). */
  stat(job: string): Promise<CheckpointInfo | null>;
  /** The content, or null when there is none or it is larger than `maxBytes`. */
  read(job: string, maxBytes: number): Promise<Buffer | null>;
  /** Replaces the content (temp file and rename). */
  write(job: string, data: Buffer): Promise<string | null>;
  /** Removes it, at once. */
  clear(job: string): string | null;
}

/** The JSON shape of jobs_state.json (SPEC §8). */
export interface StateSnapshot {
  version: 1;
  savedAt: string;
  /** Absolute path of the jobs directory the daemon that saved it watched; absent in files written before it was kept. */
  jobsDir?: string;
  jobs: JobRecord[];
  running: RunningRecord[];
}

export type LoadedState =
  | { kind: 'missing' }
  | { kind: 'loaded'; snapshot: StateSnapshot }
  | { kind: 'corrupt'; reason: string; movedTo: string | null };

// ── ⑦ cluster (cluster/, only with --cluster) ───────────────────────────

/** How a node joins a cluster: `--cluster`, `--cluster-schema`, `--node-id`, `--cluster-lease`. */
export interface ClusterConfig {
  url: string;
  /** A plain SQL identifier, checked when the option is parsed. */
  schema: string;
  nodeId: string;
  /** How long a run's lease lasts; renewed every sixth of it, self-fenced after two thirds of it. */
  leaseMs: number;
}

/** A fire this node won: the shared run row and the owner token that fences every later write about it. */
export interface ClusterClaim {
  row: string;
  owner: string;
}

/** A job as a node publishes it; what comes from its state file counts only if the cluster does not know the job yet. */
export interface PublishInput {
  job: Job;
  /** An interval's first fire as this node planned it (epoch ms). */
  anchorAt: number | null;
  /** An edit seen while running: it overwrites the published definition. */
  edited: boolean;
  /** From the node's state file: imported when the cluster has no row for the job. */
  imported: { paused: boolean; runCount: number; lastFireAt: string | null };
}

/** The cluster's view of a job after this node published its definition. */
export interface PublishedJob {
  /** The definition hash the cluster holds; claims of a node whose own hash differs are refused. */
  hash: string;
  /** This node's hash of the job. */
  ownHash: string;
  /** An interval's shared first fire: every node computes anchor + k·period from it (epoch ms). */
  anchorAt: number | null;
}

/** One node as `jobd status` shows it. */
export interface ClusterNodeStatus {
  id: string;
  host: string;
  version: string;
  pid: number;
  startedAt: string;
  lastSeen: string;
  /** Seen within one lease. */
  live: boolean;
  /** Runs it holds a lease on. */
  running: number;
  /** Its clock minus the database's, as it last measured (ms); null before the first measurement. */
  skewMs: number | null;
}

/** The last run of a job anywhere in the cluster. */
export interface ClusterLastRun {
  run: string | null;
  node: string;
  status: string;
  scheduledAt: string;
  endedAt: string | null;
}

/** The cluster as this node last read it; `status` answers from it, marked stale when the database is away. */
export interface ClusterView {
  node: string;
  schema: string;
  /** When it was last read; null before the first read. */
  readAt: string | null;
  /** The last read failed, or is older than a lease. */
  stale: boolean;
  nodes: ClusterNodeStatus[];
  lastRuns: Record<string, ClusterLastRun>;
  /** Jobs whose definition differs between live nodes, or from the one the cluster holds. */
  diverged: string[];
}

/** Facts the cluster store reports; the daemon logs them. */
export type ClusterReport =
  | { kind: 'unavailable'; message: string; nextReportInMs: number }
  | { kind: 'available'; downMs: number }
  /** `resumeCount`: how many resumes in a row the reaped run was (0 when it resumed nothing). */
  | { kind: 'reaped'; job: string; run: string | null; node: string; scheduledAt: string; resumeCount: number }
  /** Runs this node must stop: their leases were lost or could not be renewed in time. */
  | { kind: 'fenced'; owners: string[]; reason: string }
  /** This node's clock against the database's, when it first goes beyond 1 s, or back within it. */
  | { kind: 'skew'; skewMs: number }
  /**
   * What the cluster wants now: each job's pause flag and run count, and the owners of this
   * node's runs to cancel. `readStartedAt` (performance.now()) tells a count read before one
   * of this node's own claims, which it may not include yet.
   */
  | { kind: 'control'; paused: Array<[string, boolean]>; runCounts: Array<[string, number]>; readStartedAt: number; cancel: string[] };

/** The shared store of a cluster node; every method resolves, errors become reports and null/false. */
export interface ClusterStore {
  nodeId: string;
  /** Publishes the job's definition hash (overwriting only when `edited`) and its interval anchor. */
  publishJob(input: PublishInput): Promise<PublishedJob | null>;
  /** The one-statement claim of a fire: the claim when this node runs it, null when it must not. */
  claim(input: { fire: Fire; job: Job }): Promise<ClusterClaim | null>;
  /** Records the started run on its row; false when the owner token no longer holds it. */
  runStarted(claim: ClusterClaim, facts: { run: string; pid: number | null; startedAt: string }): Promise<boolean>;
  /** Records how the run ended; false when the write was refused (lease lost and reaped). */
  runEnded(claim: ClusterClaim, result: RunResult): Promise<boolean>;
  /** A claimed fire this node will not start after all: the row is marked interrupted. */
  abandon(claim: ClusterClaim): Promise<boolean>;
  /** Pauses or resumes the job on every node; false when the database did not answer. */
  setPaused(job: string, paused: boolean): Promise<boolean>;
  /** Asks the nodes running the job to cancel those runs; null when the database did not answer. */
  requestCancel(job: string): Promise<Array<{ run: string | null; node: string }> | null>;
  /** The job's last `limit` finished runs on every node, oldest first; null when the database did not answer. */
  history(job: string, limit: number): Promise<RunResult[] | null>;
  /** The cluster as last read (every sixth of a lease). */
  view(): ClusterView;
  /** Leaves the cluster: stops renewing, waits for pending writes, removes this node's registration. */
  close(): Promise<void>;
}

export type ClusterOpened = { ok: true; store: ClusterStore } | { ok: false; message: string };

// ── daemon configuration and control (cli/, control/) ───────────────────

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Everything `jobd start` was told, resolved to absolute paths. */
export interface DaemonConfig {
  jobsDir: string;
  stateFile: string;
  logFile: string | null;
  followUpLog: string;
  socket: string;
  logLevel: LogLevel;
  maxConcurrency: number;
  shutdownGraceMs: number;
  /** null: the system zone. */
  timezone: string | null;
  pretty: boolean;
  /** The directory jobd was started in: the default `cwd` of jobs. */
  cwd: string;
  /** Where to serve Prometheus metrics and /healthz; null: nowhere. */
  metrics: { host: string; port: number } | null;
  /** Where to serve the status page and `/api/`; null: nowhere. */
  http: HttpConfig | null;
  /** Accept job files and a jobs dir writable by group/others or owned by another user. */
  insecurePermissions: boolean;
  /** Accept symlinks in the jobs dir that point outside it. */
  followSymlinks: boolean;
  /** null: one host, the state file only. */
  cluster: ClusterConfig | null;
}

/** `--http` and the options that go with it. */
export interface HttpConfig {
  host: string;
  port: number;
  /** A file holding the bearer token every request must carry; required off loopback. */
  tokenFile: string | null;
  /** Show jobs' env values on the page instead of `***`. */
  showEnv: boolean;
}

/** One job as the status table and the socket show it. */
export interface JobStatus {
  id: string;
  file: string;
  state: JobState;
  /** The schedule as written (`0 3 * * *`, `@every 1h`), with its zone. */
  schedule: string | null;
  /** The same in words (`every day at 03:00`); the expression itself for a shape with no short reading. */
  scheduleWords: string | null;
  nextRunAt: string | null;
  lastRun: RunRecord | null;
  runCount: number;
  running: string[];
  problems?: Problem[];
}

export interface DaemonStatus {
  pid: number;
  /** The child process that starts every command, while it runs (it is started again when it ends). */
  spawnerPid: number | null;
  version: string;
  startedAt: string;
  uptimeMs: number;
  jobsDir: string;
  /** Jobs by lifecycle state. */
  counts: Record<JobState, number>;
  jobs: JobStatus[];
  running: RunningRecord[];
  invalidFiles: Problem[];
  /** With `--cluster`: the nodes, each job's last run anywhere, diverged definitions. */
  cluster?: ClusterView;
}

export type ControlOutcome<T> = { ok: true; value: T } | { ok: false; status: 400 | 404 | 409 | 503; error: string };

/** A control answer now, or (in a cluster, where the database is written first) later. */
export type ControlAnswer<T> = ControlOutcome<T> | Promise<ControlOutcome<T>>;

/** What the control socket may ask of a running daemon. */
export interface DaemonControl {
  status(): DaemonStatus;
  jobs(): JobStatus[];
  /** In a cluster, `history` holds the job's runs on every node, or this node's with `historyStale` when the database is away. */
  job(id: string): ControlAnswer<JobStatus & { definition: Job | null; history: RunRecord[]; historyStale?: boolean; checkpoint: CheckpointInfo | null }>;
  /** `run` is null while the fire waits for a slot or for the job's running run (overlap `queue`). */
  run(id: string): ControlOutcome<{ run: string | null; result: Promise<RunRecord> }>;
  cancel(id: string): ControlAnswer<{ cancelled: string[] }>;
  pause(id: string): ControlAnswer<JobStatus>;
  resume(id: string): ControlAnswer<JobStatus>;
  /** Log events as JSON objects; returns the unsubscribe function. */
  subscribe(listener: (event: Record<string, unknown>) => void): () => void;
  /** The kept recent events that match, oldest first, as JSON lines (`GET /events?n=…`). */
  recentEvents(query: EventQuery): string[];
  /** Whether a job of this id is loaded: at once, never asking the cluster's database. */
  knows(id: string): boolean;
}

/** Which of the daemon's recent events to give back; null means no bound. */
export interface EventQuery {
  /** At most this many, the newest. */
  n: number | null;
  /** Only events at or after this instant (ms since the epoch). */
  sinceMs: number | null;
  job: string | null;
  /** Only events at this level or above. */
  minLevel: LogLevel | null;
}

// ── import (import/ → cli/) ─────────────────────────────────────────────

/** A job file `jobd import` made from a crontab line or a systemd timer. */
export interface ImportedJob {
  /** The job id; the file is `<id>.json`. */
  id: string;
  /** The JSON content of the job file (its `id` field equals `id`). */
  content: Record<string, unknown>;
  /** Where it came from: the source file (or `-`) and its line (1-based; 0 for a whole unit). */
  source: string;
  line: number;
}

/** Something in a source that was not translated exactly, shown as `source:line: message`. */
export interface ImportNote {
  source: string;
  line: number;
  message: string;
}

/** What a translator made of one source: the jobs, and everything it could not say exactly. */
export interface ImportResult {
  jobs: ImportedJob[];
  notes: ImportNote[];
}
