import { fileURLToPath } from 'node:url';
import type { FollowUpRecord, Job, OutputLine, Run, RunObserver } from '../../../src/types.js';
import { makeJob as makeBaseJob } from '../builders.js';

/** Absolute path of a script in test/fixtures/scripts. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/scripts/${name}`, import.meta.url));
}

/** A job for runner tests: a shell `true` in this directory, then `overrides`. */
export function makeJob(overrides: Partial<Job> = {}): Job {
  return makeBaseJob({ id: 'sample', file: '/jobs.d/sample.json', schedule: null, cwd: process.cwd(), ...overrides });
}

/** A manual run of `job`, scheduled at a fixed instant. */
export function makeRun(job: Job, overrides: Partial<Run> = {}): Run {
  return { id: `${job.id}-1`, job, trigger: 'manual', scheduledAt: Date.parse('2026-03-04T05:06:07.089Z'), ...overrides };
}

/** Everything a run reported through its observer, in order. */
export interface Recorded {
  starts: (number | null)[];
  lines: OutputLine[];
  dropped: { stdout: number; stderr: number }[];
  timeouts: FollowUpRecord[];
  followUpErrors: { path?: string; message: string }[];
}

/** An observer that keeps what it is told, for assertions. */
export function recordingObserver(): { observer: RunObserver; recorded: Recorded } {
  const recorded: Recorded = { starts: [], lines: [], dropped: [], timeouts: [], followUpErrors: [] };
  const observer: RunObserver = {
    onStart: (pid) => recorded.starts.push(pid),
    onOutput: (line) => recorded.lines.push(line),
    onOutputDropped: (dropped) => recorded.dropped.push(dropped),
    onTimeout: (record) => recorded.timeouts.push(record),
    onFollowUpError: (error) => recorded.followUpErrors.push(error),
  };
  return { observer, recorded };
}
