import { fork, type ChildProcess } from 'node:child_process';
import { errorMessage } from '../format/error-message.js';
import { describeSpawnError } from './command-words.js';
import { ACK_EVERY_BYTES, type FromSpawner, type ToSpawner } from './spawner-protocol.js';
import type { CommandEnd, LeaderExit, SpawnInput, SpawnOutcome, Spawner, SpawnWatch } from './spawner.js';

/** The daemon's side of its spawner child. */
export interface SpawnerProcess extends Spawner {
  /** The child's pid while it runs. */
  pid(): number | undefined;
  /**
   * Ends the child once every run has ended (the daemon is stopping); a hook still running is left
   * to finish. The child would end by itself when the daemon's channel closes, but not if it is
   * stopped (SIGSTOP): it would stay.
   */
  close(): void;
}

/**
 * A start the child has not answered in this time means it is stopped or wedged: it is killed,
 * so that no run waits forever for its start (and no shutdown for such a run). Starts are
 * answered in milliseconds; even a burst has at most --max-concurrency of them in flight.
 */
export const START_ANSWER_MS = 10_000;

/**
 * Starts commands through a spawner child, forked now while the daemon is still small (a
 * fork's cost grows with the size of the process). A child that ends is forked again for
 * the next command; the commands it watched are reported lost, and their runs stop them.
 */
export function createSpawnerProcess(onProblem: (message: string) => void): SpawnerProcess {
  const spawner = new SpawnerChild(onProblem);
  spawner.ensureChild();
  return { pid: () => spawner.pid(), close: () => spawner.close(), start: (input, watch) => spawner.start(input, watch) };
}

const CHILD = new URL('./spawner-child.js', import.meta.url);
const LOST = 'lost the spawner process that watched the command';
const UNANSWERED = 'the spawner process ended before it said whether the command started';

/** One command the spawner child was asked for, until it ended or was abandoned. */
interface Pending {
  watch: SpawnWatch;
  started: (outcome: SpawnOutcome) => void;
  ended: ((end: CommandEnd) => void) | null;
  abandoned: ((exit: LeaderExit) => void) | null;
}

class SpawnerChild {
  private readonly pending = new Map<number, Pending>();
  /** Starts sent and not yet answered, id → when sent, oldest first. */
  private readonly awaiting = new Map<number, number>();
  /** Children this side ended on purpose: their exit is no news. */
  private readonly endedHere = new WeakSet<ChildProcess>();
  private child: ChildProcess | null = null;
  private nextId = 0;
  private received = 0;
  private closed = false;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(private readonly onProblem: (message: string) => void) {}

  pid(): number | undefined {
    return this.child?.pid;
  }

  start(input: SpawnInput, watch: SpawnWatch): Promise<SpawnOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'could not start: jobd is stopping' });
    const target = this.ensureChild();
    if (typeof target === 'string') return Promise.resolve({ ok: false, reason: target });
    const id = (this.nextId += 1);
    return new Promise<SpawnOutcome>((started) => {
      this.pending.set(id, { watch, started, ended: null, abandoned: null });
      this.awaiting.set(id, performance.now());
      this.watchdog ??= setInterval(() => this.checkAnswers(), 1_000).unref();
      this.post({ t: 'start', id, input });
    });
  }

  close(): void {
    this.closed = true;
    // What is still under way now is a hook (every run has ended): it is not a run, and is
    // left to finish by itself, as it was before commands had a spawner, not reported lost.
    this.pending.clear();
    this.awaiting.clear();
    this.stopWatchdog();
    if (this.child) this.end(this.child);
  }

  ensureChild(): ChildProcess | string {
    if (this.child) return this.child;
    const made = this.forkChild();
    if (typeof made !== 'string') this.child = made;
    return made;
  }

  private forkChild(): ChildProcess | string {
    let made: ChildProcess;
    try {
      // No inherited --inspect or --cpu-prof, nothing on stdout (the log's), its crashes on stderr.
      made = fork(CHILD, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
    } catch (error) {
      return `could not start the spawner process: ${errorMessage(error)}`;
    }
    made.on('message', (message: FromSpawner) => this.onMessage(message));
    made.on('error', (error: NodeJS.ErrnoException) => {
      this.onProblem(`spawner process: ${describeSpawnError({ code: error.code, file: process.execPath, message: error.message })}`);
      this.onGone(made);
    });
    made.on('disconnect', () => this.onGone(made));
    made.on('exit', (code, signal) => {
      this.onGone(made);
      if (code !== 0 && !this.endedHere.has(made)) this.onProblem(`the spawner process exited with ${signal ?? `code ${code}`}`);
    });
    // The daemon's lifetime is its own: the child ends when the channel closes.
    made.unref();
    made.channel?.unref();
    return made;
  }

  private post(message: ToSpawner): void {
    if (this.child?.connected) this.child.send(message);
  }

  private onMessage(message: FromSpawner): void {
    const entry = this.pending.get(message.id);
    if (!entry) return;
    switch (message.t) {
      case 'output':
        return this.onOutput(entry, message);
      case 'started':
        this.answered(message.id);
        return this.startedRemote(message.id, entry, message.pid);
      case 'not-started':
        this.answered(message.id);
        this.pending.delete(message.id);
        return entry.started({ ok: false, reason: message.reason });
      case 'abandoned':
        this.pending.delete(message.id);
        return entry.abandoned?.(message.exit);
      case 'ended':
        this.pending.delete(message.id);
        entry.abandoned?.({ exitCode: message.end.exitCode, signal: message.end.signal });
        return entry.ended?.(message.end);
    }
  }

  private onOutput(entry: Pending, message: Extract<FromSpawner, { t: 'output' }>): void {
    const { chunk } = message;
    entry.watch.onOutput(message.stream === 0 ? 'stdout' : 'stderr', Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.received += chunk.byteLength;
    if (this.received >= ACK_EVERY_BYTES) {
      this.post({ t: 'ack', bytes: this.received });
      this.received = 0;
    }
  }

  private startedRemote(id: number, entry: Pending, pid: number | undefined): void {
    const ended = new Promise<CommandEnd>((resolve) => (entry.ended = resolve));
    const abandon = (): Promise<LeaderExit> =>
      new Promise((resolve) => {
        if (!this.pending.has(id)) return resolve({ exitCode: null, signal: null });
        entry.abandoned = resolve;
        this.post({ t: 'abandon', id });
      });
    // Messages that came in one read are handed out in one go: the start is told here, not in
    // a continuation of the promise, so that none of its output is told before it.
    entry.watch.onStarted?.(pid);
    entry.started({ ok: true, command: { pid, ended, abandon } });
  }

  private answered(id: number): void {
    this.awaiting.delete(id);
    if (this.awaiting.size === 0) this.stopWatchdog();
  }

  private checkAnswers(): void {
    const oldest = this.awaiting.values().next();
    if (oldest.done || performance.now() - oldest.value < START_ANSWER_MS || !this.child) return;
    this.onProblem(`the spawner process (pid ${this.child.pid}) answered no start in ${START_ANSWER_MS / 1000} s; killing it`);
    this.end(this.child);
  }

  private end(which: ChildProcess): void {
    this.endedHere.add(which);
    this.onGone(which);
    which.kill('SIGKILL');
  }

  /** Every command the child watched is lost with it; a start it never answered may have happened. */
  private onGone(gone: ChildProcess): void {
    if (this.child !== gone) return;
    this.child = null;
    this.received = 0;
    const { pending, awaiting } = this;
    if (pending.size > 0) this.onProblem(`the spawner process ended with ${pending.size} command(s) under way; their runs stop them`);
    for (const [id, entry] of pending) {
      if (awaiting.has(id)) entry.started({ ok: false, reason: UNANSWERED, maybeStarted: true });
      entry.abandoned?.({ exitCode: null, signal: null });
      entry.ended?.({ exitCode: null, signal: null, lost: LOST });
    }
    pending.clear();
    awaiting.clear();
    this.stopWatchdog();
  }

  private stopWatchdog(): void {
    clearInterval(this.watchdog);
    this.watchdog = undefined;
  }
}
