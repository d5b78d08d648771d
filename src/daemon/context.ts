import type { Logger } from 'pino';
import type { CheckpointStore, DaemonConfig, Fire, JobRecord, Run, RunHandle, RunRecord } from '../types.js';
import type { SpawnerProcess } from '../run/spawner-process.js';
import type { StateStore } from '../state/state-store.js';
import type { ClusterSeam } from './cluster-seam.js';
import type { Registry } from './registry.js';
import type { Scheduler } from './scheduler.js';

/** A run in progress, as the daemon tracks it. */
export interface ActiveRun {
  run: Run;
  handle: RunHandle | null;
  startedAt: string;
  pid: number | null;
}

/** The daemon's in-memory state and the services every phase of it uses. */
export interface DaemonContext {
  config: DaemonConfig;
  version: string;
  /** JOBD_INSTANCE of every run: marks the processes started for this state file (run/marked-processes.ts). */
  instance: string;
  startedAt: Date;
  logger: Logger;
  registry: Registry;
  records: Map<string, JobRecord>;
  running: Map<string, ActiveRun>;
  scheduler: Scheduler;
  store: StateStore;
  /** Where every command is started: a child process, so spawning costs the daemon's thread nothing. */
  spawner: SpawnerProcess;
  /** Who waits for a fire to become a run (`jobd run --wait`). */
  launchWatchers: WeakMap<Fire, (runId: string, result: Promise<RunRecord>) => void>;
  /** null on a single host; with `--cluster`, where fires are claimed and runs recorded. */
  cluster: ClusterSeam | null;
  /** The jobs' checkpoint files (JOBD_CHECKPOINT), and the clean-ups after runs still under way. */
  checkpoints: CheckpointStore;
  /** Set once shutdown begins: results are still recorded, nothing new starts. */
  stopping: boolean;
  /** True until every job file has been read once at start-up: a save before then keeps the records of files not read yet. */
  loading: boolean;
}
