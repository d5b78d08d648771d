import { spawn, type ChildProcess } from 'node:child_process';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { findMarkedOfRuns, instanceId, markerOf } from '../../../src/run/marked-processes.js';

const environ = (...entries: string[]): Buffer => Buffer.from(`${entries.join('\0')}\0`);

describe('markerOf', () => {
  it.each<[string, Buffer, { run: string; job: string } | null]>([
    ['a run of this instance', environ('PATH=/bin', 'JOBD_JOB_ID=backup', 'JOBD_RUN_ID=backup-3', 'JOBD_INSTANCE=abc'), { run: 'backup-3', job: 'backup' }],
    ['the last entry without a trailing NUL', Buffer.from('JOBD_RUN_ID=a-1\0JOBD_INSTANCE=abc'), { run: 'a-1', job: '' }],
    ['another instance', environ('JOBD_RUN_ID=backup-3', 'JOBD_INSTANCE=abd'), null],
    ['an instance that only starts the same', environ('JOBD_RUN_ID=backup-3', 'JOBD_INSTANCE=abcd'), null],
    ['the needle inside another value', environ('X=JOBD_INSTANCE=abc', 'JOBD_RUN_ID=backup-3'), null],
    ['no run id', environ('JOBD_INSTANCE=abc'), null],
    ['an empty environment', Buffer.alloc(0), null],
  ])('%s', (_name, bytes, expected) => {
    expect(markerOf(bytes, 'abc')).toEqual(expected);
  });

  it('issue 11.14: never throws on any bytes, and finds a marker only where its entry is', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (random, marked) => {
        const bytes = Buffer.concat([Buffer.from(random), Buffer.from('\0'), marked ? environ('JOBD_INSTANCE=abc', 'JOBD_RUN_ID=r-1') : Buffer.alloc(0)]);
        const found = markerOf(bytes, 'abc');
        if (found !== null) expect(bytes.toString('utf8').split('\0')).toContain('JOBD_INSTANCE=abc');
        if (marked) expect(found).not.toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

describe('instanceId', () => {
  it('is the same for the same state file and differs for another', () => {
    expect(instanceId('/tmp/a/jobs_state.json')).toBe(instanceId('/tmp/a/../a/jobs_state.json'));
    expect(instanceId('/tmp/a/jobs_state.json')).not.toBe(instanceId('/tmp/b/jobs_state.json'));
    expect(instanceId('/tmp/a/jobs_state.json')).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('findMarkedOfRuns', () => {
  const started: ChildProcess[] = [];
  const sleeper = (instance: string, run: string): number => {
    const child = spawn('sleep', ['30'], { env: { PATH: process.env.PATH, JOBD_INSTANCE: instance, JOBD_RUN_ID: run, JOBD_JOB_ID: run.split('-')[0] }, stdio: 'ignore' });
    started.push(child);
    return child.pid!;
  };
  afterEach(() => {
    for (const child of started.splice(0)) child.kill('SIGKILL');
  });

  it('issue 13: finds the live processes of several runs in one reading, each under its own run', async () => {
    const first = sleeper('inst', 'a-1');
    const second = sleeper('inst', 'a-1');
    const other = sleeper('inst', 'b-1');
    sleeper('inst', 'c-1');
    sleeper('another', 'a-1');
    // The environment of a process shows in /proc once it has exec'd.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const found = findMarkedOfRuns('inst', new Map([['a-1', undefined], ['b-1', other - 1], ['d-1', other]]));
    expect(found?.get('a-1')?.map((p) => p.pid).sort()).toEqual([first, second].sort());
    expect(found?.get('b-1')).toEqual([{ pid: other, run: 'b-1', job: 'b' }]);
    expect(found?.get('d-1')).toEqual([]);
    expect(found?.has('c-1')).toBe(false);
  });
});
