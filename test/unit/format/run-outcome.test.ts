import { describe, expect, it } from 'vitest';
import { localStamp } from '../../../src/format/local-time.js';
import { commandWithArgs, isFailure, runOutcome } from '../../../src/format/run-outcome.js';
import type { RunResult } from '../../../src/types.js';

const result = (fields: Partial<RunResult>): RunResult => ({
  run: 'a-1', job: 'a', trigger: 'schedule', status: 'ok', scheduledAt: '2026-01-01T00:00:00.000Z', startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:01.000Z', durationMs: 1000, pid: 1, exitCode: 0, signal: null, stdout: '', stderr: '', ...fields,
});

describe('runOutcome', () => {
  it('issue 14: the status table says why a run failed: "failed, exit 3", "killed by SIGKILL", "timeout"', () => {
    expect(runOutcome(result({}))).toBe('ok');
    expect(runOutcome(result({ status: 'failed', exitCode: 3 }))).toBe('failed, exit 3');
    expect(runOutcome(result({ status: 'failed', exitCode: null, signal: 'SIGKILL' }))).toBe('killed by SIGKILL');
    expect(runOutcome(result({ status: 'failed', exitCode: null, error: 'command not found: nope' }))).toBe('failed, command not found: nope');
    expect(runOutcome(result({ status: 'timeout', exitCode: null, signal: 'SIGTERM' }))).toBe('timeout');
    expect(runOutcome({ run: 'a-2', job: 'a', trigger: 'schedule', status: 'skipped', scheduledAt: '2026-01-01T00:00:00.000Z', reason: 'overlap' })).toBe('skipped, overlap');
  });

  it('issue 14: only failed and timeout are painted red', () => {
    expect(['ok', 'failed', 'timeout', 'cancelled', 'interrupted', 'skipped'].filter(isFailure)).toEqual(['failed', 'timeout']);
  });
});

describe('commandWithArgs', () => {
  it('issue 14: args are shown apart from the shell text', () => {
    expect(commandWithArgs('echo "exporting $1"; wait', ['customers'])).toBe('echo "exporting $1"; wait args ["customers"]');
    expect(commandWithArgs('true', [])).toBe('true');
  });
});

describe('localStamp', () => {
  it('issue 14: table times are local with the zone offset, like systemctl', () => {
    expect(localStamp(Date.parse('2026-12-02T13:00:00Z'))).toMatch(/^[A-Z][a-z]{2} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d$/);
    expect(localStamp(Number.NaN)).toBe('-');
  });
});
