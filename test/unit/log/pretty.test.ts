import { describe, expect, it } from 'vitest';
import { prettyLine } from '../../../src/log/pretty.js';

const TIME = '2026-12-02T13:00:00.000Z';

describe('prettyLine', () => {
  it('issue 14: run.start shows the args apart from the shell text', () => {
    const line = prettyLine({ time: TIME, event: 'run.start', job: 'slow-export', run: 'slow-export-5', trigger: 'schedule', command: 'echo "exporting $1"; wait', args: ['customers'] });
    expect(line).toBe('[2026-12-02T13:00:00.000Z] Started job slow-export (slow-export-5, schedule): echo "exporting $1"; wait args ["customers"]');
    expect(prettyLine({ time: TIME, event: 'run.start', job: 'a', run: 'a-1', trigger: 'manual', command: 'true', args: [] })).toMatch(/: true$/);
  });

  it('issue 14: hook.output, hook.end and daemon.stopping read as one line each', () => {
    expect(prettyLine({ time: TIME, event: 'hook.output', hook: 'onTimeout', job: 'a', run: 'a-1', stream: 'stderr', line: 'a timed out' })).toBe(
      `[${TIME}]   a onTimeout ! a timed out`,
    );
    expect(prettyLine({ time: TIME, event: 'hook.end', hook: 'onFailure', job: 'a', run: 'a-1', exitCode: 4, signal: null, durationMs: 12 })).toBe(
      `[${TIME}] Hook onFailure of a (a-1) ended: exit 4, 12ms`,
    );
    expect(prettyLine({ time: TIME, event: 'daemon.stopping', signal: 'SIGINT', runs: ['a-1'], graceMs: 10_000 })).toBe(
      `[${TIME}] Stopping (SIGINT): waiting up to 10.0s for a-1`,
    );
  });
});
