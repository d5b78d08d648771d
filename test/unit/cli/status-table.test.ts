import { describe, expect, it } from 'vitest';
import { statusTable } from '../../../src/cli/status.js';
import { jobStatusText, type JobDetail } from '../../../src/cli/status-job.js';
import { makeJob } from '../builders.js';
import type { DaemonStatus, JobStatus, RunResult } from '../../../src/types.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const failed: RunResult = {
  run: 'three-4', job: 'three', trigger: 'schedule', status: 'failed', scheduledAt: '2026-12-02T11:58:00.000Z', startedAt: '2026-12-02T11:58:00.000Z',
  endedAt: '2026-12-02T11:58:01.000Z', durationMs: 1200, pid: 9, exitCode: 3, signal: null, stdout: 'one\ntwo\n', stderr: 'oops\n',
};
const job = (fields: Partial<JobStatus>): JobStatus => ({
  id: 'three', file: '/j/three.json', state: 'scheduled', schedule: '@every 1h', scheduleWords: 'every hour', nextRunAt: '2026-12-02T12:58:00.000Z', lastRun: failed, runCount: 4, running: [], ...fields,
});
const status = (jobs: JobStatus[]): DaemonStatus => ({
  pid: 1, spawnerPid: null, version: '1', startedAt: '2026-12-02T11:00:00.000Z', uptimeMs: 3_600_000, jobsDir: '/j',
  counts: { scheduled: 1, running: 0, paused: 0, disabled: 0, done: 0, invalid: 0 }, jobs, running: [], invalidFiles: [],
});

describe('statusTable', () => {
  it('issue 14: jobd status has the list-timers columns, "in 58m"-style spans and the failure reason', () => {
    const lines = statusTable(status([job({})]), NOW).split('\n');
    expect(lines[1]).toMatch(/^JOB +SCHEDULE +STATE +NEXT +LEFT +LAST +PASSED +RESULT$/);
    expect(lines[2]).toMatch(/^three +@every 1h +scheduled +\S+ \S+ \S+ [+-]\d\d:\d\d +58m +\S+ \S+ \S+ [+-]\d\d:\d\d +2m ago +failed, exit 3$/);
    expect(statusTable(status([job({})]), NOW)).not.toContain('\x1b[');
  });

  it('issue 14: with colour, failed and timeout rows are red, ok rows are not', () => {
    const ok = job({ id: 'fine', lastRun: { ...failed, job: 'fine', status: 'ok', exitCode: 0 } });
    const timedOut = job({ id: 'slow', lastRun: { ...failed, job: 'slow', status: 'timeout', exitCode: null, signal: 'SIGTERM' } });
    const lines = statusTable(status([job({}), ok, timedOut]), NOW, true).split('\n');
    expect(lines.find((l) => l.includes('three'))).toMatch(/^\x1b\[31m.*\x1b\[0m$/);
    expect(lines.find((l) => l.includes('slow'))).toMatch(/^\x1b\[31m.*timeout\x1b\[0m$/);
    expect(lines.find((l) => l.includes('fine'))).not.toContain('\x1b[');
  });
});

describe('jobStatusText', () => {
  const detail = (fields: Partial<JobDetail>): JobDetail => ({
    ...job({}),
    definition: makeJob({
      id: 'three', file: '/j/three.json', description: 'Exits 3', schedule: { kind: 'interval', everyMs: 3_600_000 }, command: { shell: 'echo "$1"; exit 3' },
      args: ['customers'], cwd: '/j', timeoutMs: 60_000, retryDelayMs: 0,
    }),
    history: [failed],
    ...fields,
  });

  it('issue 14: jobd status <id> shows description, schedule, state, next fires with "in 58m", last runs, output tail and file', () => {
    const text = jobStatusText(detail({}), NOW);
    expect(text).toMatch(/^three - Exits 3\n/);
    expect(text).toMatch(/File: \/j\/three\.json/);
    expect(text).toMatch(/Schedule: every hour \(@every 1h\)\n/);
    expect(text).toMatch(/State: scheduled, 4 runs/);
    expect(text).toContain('Command: sh -c "echo \\"$1\\"; exit 3"');
    expect(text).toContain('Args: ["customers"]');
    expect(text).toMatch(/Next: .* \(in 58m\)\n +.* \(in 1h58m\)/);
    expect(text).toMatch(/three-4 +failed, exit 3 +.+ +1\.?\d*s +schedule/);
    expect(text).toContain('  | one\n  | two\n  ! oops\n');
    expect(text).not.toContain('Checkpoint');
  });

  it('issue 14: a Checkpoint line appears when the daemon reports the field, and a node column when runs have one', () => {
    const withCheckpoint = jobStatusText(detail({ checkpoint: { bytes: 42, modifiedAt: '2026-12-02T11:55:00.000Z' }, history: [{ ...failed, node: 'n1' }] }), NOW);
    expect(withCheckpoint).toMatch(/Checkpoint: 42 bytes, written .* \(5m ago\)/);
    expect(withCheckpoint).toMatch(/RUN +RESULT +STARTED +DURATION +TRIGGER +NODE/);
    expect(withCheckpoint).toMatch(/three-4 .* n1$/m);
    expect(jobStatusText(detail({ checkpoint: null }), NOW)).toMatch(/Checkpoint: none/);
    expect(jobStatusText(detail({ historyStale: true }), NOW)).toContain('The cluster database is unavailable: runs of this node only.');
  });
});
