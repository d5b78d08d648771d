import type { Job, JobRecord, RunRecord, RunResult } from '../types.js';

/** A run to start again at start-up: the interrupted run it resumes, and how many resumes in a row it makes. */
export interface PlannedResume {
  job: string;
  resumeOf: string;
  resumeCount: number;
}

/** An interrupted run of a job with `onInterrupted: "resume"` that is not started again, and why. */
export interface HeldResume {
  job: string;
  run: string;
  reason: 'maxResumes' | 'maxRuns' | 'paused' | 'disabled';
}

export interface ResumePlan {
  resume: PlannedResume[];
  held: HeldResume[];
}

/**
 * Which interrupted runs to start again, given the jobs and their records: for each job with
 * `onInterrupted: "resume"` whose last run ended `interrupted`, a resume, unless the job is
 * paused or disabled (it waits, its checkpoint kept), has reached maxRuns (a resume is a
 * run), or the interrupted run was itself the `maxResumes`-th resume in a row. Pure, so a
 * cluster store can decide from its own records the same way.
 */
export function planResumes(input: { jobs: Iterable<Job>; records: ReadonlyMap<string, JobRecord> }): ResumePlan {
  const plan: ResumePlan = { resume: [], held: [] };
  for (const job of input.jobs) {
    const record = input.records.get(job.id);
    const interrupted = record ? interruptedLastRun(job, record) : null;
    if (!record || !interrupted) continue;
    const reason = heldReason(job, record, interrupted);
    if (reason) plan.held.push({ job: job.id, run: interrupted.run, reason });
    else plan.resume.push({ job: job.id, resumeOf: interrupted.run, resumeCount: (interrupted.resumeCount ?? 0) + 1 });
  }
  return plan;
}

/** Whether the job still owes a run to an interrupted one: a one-shot waiting for it is not `done`. */
export function awaitsResume(job: Job, record: JobRecord): boolean {
  const interrupted = interruptedLastRun(job, record);
  return interrupted !== null && (interrupted.resumeCount ?? 0) < job.maxResumes;
}

function heldReason(job: Job, record: JobRecord, interrupted: RunResult): HeldResume['reason'] | null {
  if ((interrupted.resumeCount ?? 0) >= job.maxResumes) return 'maxResumes';
  if (job.maxRuns !== null && record.runCount >= job.maxRuns) return 'maxRuns';
  if (!job.enabled) return 'disabled';
  if (record.paused) return 'paused';
  return null;
}

// The last run that started (a skip is no run): only an interruption that nothing has run after is owed.
function interruptedLastRun(job: Job, record: JobRecord): RunResult | null {
  if (job.onInterrupted !== 'resume') return null;
  const last = lastStarted(record.history);
  return last?.status === 'interrupted' ? last : null;
}

function lastStarted(history: RunRecord[]): RunResult | null {
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const run = history[i]!;
    if (run.status !== 'skipped') return run;
  }
  return null;
}
