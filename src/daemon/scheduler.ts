import type { Fire, FireDecision, Job, JobRecord, MissedFires } from '../types.js';
import { missedFires } from '../schedule/missed-fires.js';
import { nextFire } from '../schedule/next-fire.js';
import { isDone } from './job-records.js';
import { decideFire, hasCapacity } from './policies.js';
import { createTimerQueue } from './timer-queue.js';

/** What the scheduler needs from the daemon; it never spawns or logs by itself. */
export interface SchedulerDeps {
  records: Map<string, JobRecord>;
  job(id: string): Job | undefined;
  maxConcurrency: number;
  runningOf(jobId: string): string[];
  runningTotal(): number;
  launch(fire: Fire): void;
  /** Whether this node runs the fire: true at once on one host, a promise in a cluster. */
  claim(fire: Fire): true | Promise<boolean>;
  skip(fire: Fire, decision: Extract<FireDecision, { action: 'skip' }>): void;
  stopRuns(runIds: string[]): void;
  /** Fires of a job that passed before the loop could serve them, coalesced into the one it serves now. */
  missed(jobId: string, fires: MissedFires): void;
}

/** Due fires in, started runs out: the single timer, the policies and the concurrency wait list. */
export interface Scheduler {
  /** (Re)computes the job's next fire; `keepTimeline` keeps an interval's phase. */
  plan(job: Job, keepTimeline: boolean): void;
  unplan(jobId: string): void;
  /** Submits a fire to the policies now. */
  submit(fire: Fire): FireDecision;
  /** Submits a fire at a later instant (jitter, retries). */
  later(fire: Fire, at: number): void;
  /** A run of this job ended: a queued fire or a waiting one may start. */
  runEnded(jobId: string): void;
  /** Stops firing for good and drops fires not yet started. */
  stop(): void;
}

// Delayed fires share the timer heap with jobs; their keys cannot be job ids.
const DELAYED = '\u0000';

/** Builds the scheduler over one timer queue. */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const waiting: Fire[] = [];
  const waitingByJob = new Map<string, number>();
  const queued = new Map<string, Fire>();
  const delayed = new Map<string, Fire>();
  // Fires whose claim is still being answered: they hold a concurrency slot and count as their job's activity.
  const claimingByJob = new Map<string, number>();
  let claiming = 0;
  let delayedSeq = 0;
  let stopped = false;

  const onDue = (key: string, at: number): void => {
    const fire = delayed.get(key);
    if (fire) {
      delayed.delete(key);
      submit(fire);
      return;
    }
    const job = deps.job(key);
    const record = deps.records.get(key);
    if (!job || !record) return;
    record.lastFireAt = new Date(at).toISOString();
    const now = Date.now();
    if (job.jitterMs > 0) later({ jobId: key, trigger: 'schedule', scheduledAt: at }, now + Math.random() * job.jitterMs);
    else submit({ jobId: key, trigger: 'schedule', scheduledAt: at });
    // The timeline resumes after now; what it steps over must be said, not silently coalesced.
    const missed = job.schedule ? missedFires(job.schedule, at, now) : null;
    if (missed) deps.missed(key, missed);
    plan(job, true);
  };
  const timers = createTimerQueue(onDue);

  const plan = (job: Job, keepTimeline: boolean): void => {
    const record = deps.records.get(job.id);
    timers.delete(job.id);
    if (!record) return;
    const now = Date.now();
    if (stopped || !job.schedule || !job.enabled || record.paused || isDone(job, record, now)) {
      record.nextRunAt = null;
      return;
    }
    const anchorText = keepTimeline ? (record.lastFireAt ?? record.nextRunAt) : null;
    const anchor = job.schedule.kind === 'interval' && anchorText ? Date.parse(anchorText) : null;
    const next = nextFire(job.schedule, now, anchor);
    record.nextRunAt = next === null ? null : new Date(next).toISOString();
    if (next !== null) timers.set(job.id, next);
  };

  const hasSlot = (): boolean => hasCapacity(deps.runningTotal() + claiming, deps.maxConcurrency);

  // The claim comes after the local checks, right before the launch, so a node with no
  // free slot leaves the fire to a node that has one.
  const claimAndLaunch = (fire: Fire): void => {
    const claimed = deps.claim(fire);
    if (claimed === true) {
      deps.launch(fire);
      return;
    }
    claiming += 1;
    claimingByJob.set(fire.jobId, (claimingByJob.get(fire.jobId) ?? 0) + 1);
    void claimed.then((won) => {
      claiming -= 1;
      claimingByJob.set(fire.jobId, (claimingByJob.get(fire.jobId) ?? 1) - 1);
      if (won) deps.launch(fire);
      else if (!stopped) drain();
    });
  };

  const dispatch = (fire: Fire): void => {
    if (hasSlot()) {
      claimAndLaunch(fire);
      return;
    }
    fire.heldBy = 'concurrency';
    waiting.push(fire);
    waitingByJob.set(fire.jobId, (waitingByJob.get(fire.jobId) ?? 0) + 1);
  };

  const submit = (fire: Fire): FireDecision => {
    const job = deps.job(fire.jobId);
    const record = deps.records.get(fire.jobId);
    if (stopped || !job || !record) return { action: 'skip', reason: 'disabled' };
    const activity = {
      running: deps.runningOf(fire.jobId),
      waiting: (waitingByJob.get(fire.jobId) ?? 0) + (queued.has(fire.jobId) ? 1 : 0) + (claimingByJob.get(fire.jobId) ?? 0),
    };
    const decision = decideFire(fire, job, record, activity);
    if (decision.action === 'skip') deps.skip(fire, decision);
    else if (decision.action === 'start') dispatch(fire);
    else {
      fire.heldBy = 'overlap';
      queued.set(fire.jobId, fire);
    }
    if (decision.action === 'replace') deps.stopRuns(decision.runningRuns);
    return decision;
  };

  const later = (fire: Fire, at: number): void => {
    const key = `${DELAYED}${fire.jobId}${DELAYED}${++delayedSeq}`;
    delayed.set(key, { ...fire, dueAt: at });
    timers.set(key, at);
  };

  const drain = (): void => {
    while (waiting.length > 0 && hasSlot()) {
      const fire = waiting.shift()!;
      waitingByJob.set(fire.jobId, (waitingByJob.get(fire.jobId) ?? 1) - 1);
      if (deps.job(fire.jobId)) claimAndLaunch(fire);
    }
  };

  return {
    plan,
    unplan(jobId) {
      timers.delete(jobId);
      queued.delete(jobId);
      for (const [key, fire] of delayed) if (fire.jobId === jobId) (delayed.delete(key), timers.delete(key));
      const record = deps.records.get(jobId);
      if (record) record.nextRunAt = null;
    },
    submit,
    later,
    runEnded(jobId) {
      if (stopped) return;
      const next = queued.get(jobId);
      if (next && deps.runningOf(jobId).length === 0) {
        queued.delete(jobId);
        dispatch(next);
      }
      drain();
    },
    stop() {
      stopped = true;
      timers.close();
      waiting.length = 0;
      waitingByJob.clear();
      queued.clear();
      delayed.clear();
    },
  };
}
