import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guardedWriter } from '../../../src/log/guarded-writer.js';
import type { Sink } from '../../../src/log/sinks.js';

const errno = (code: string): Error => Object.assign(new Error(`${code}: failed`), { code });

/** A writer over a sink that fails as told, with a clock the test moves. */
function harness(options: { whenGone?: string } = {}) {
  const said: string[] = [];
  const written: string[] = [];
  let failWith: unknown = null;
  let openFails: unknown = null;
  let time = 0;
  const sink: Sink = {
    write(text) {
      if (failWith !== null) throw failWith;
      written.push(text);
    },
    reopen() {
      if (openFails !== null) throw openFails;
    },
  };
  const writer = guardedWriter({ name: 'log file /x.log', sink, say: (line) => said.push(line), now: () => time, ...options });
  return {
    writer, said, written,
    fail: (error: unknown) => (failWith = error),
    failOpen: (error: unknown) => (openFails = error),
    advance: (ms: number) => (time += ms),
  };
}

describe('guardedWriter', () => {
  it('a write that throws (ENOSPC) is one stderr line with the count of lines lost, then silence for 10 s', () => {
    const h = harness();
    h.fail(errno('ENOSPC'));
    h.writer.write('a\nb\n');
    expect(h.said).toEqual(['jobd: log file /x.log: write failed (ENOSPC: failed); 2 log lines lost\n']);
    for (let i = 0; i < 20; i += 1) {
      h.advance(400);
      h.writer.write('c\n');
    }
    expect(h.said).toHaveLength(1);
    h.advance(2_000);
    h.writer.write('d\n');
    expect(h.said[1]).toBe('jobd: log file /x.log: write failed (ENOSPC: failed); 21 log lines lost\n');
  });

  it('after a failure the destination rests 1 s, is tried again, and says when it writes again', () => {
    const h = harness();
    h.fail(errno('ENOSPC'));
    h.writer.write('a\n');
    h.fail(null);
    h.writer.write('b\n');
    expect(h.written).toEqual([]);
    h.advance(1_000);
    h.writer.write('c\n');
    expect(h.written).toEqual(['c\n']);
    h.advance(10_000);
    h.writer.write('d\n');
    expect(h.said[1]).toBe('jobd: log file /x.log: writing again; 1 log line lost\n');
  });

  it('a reopen that fails (EISDIR) is reported and retried on the next reopen and every 10 s', () => {
    const h = harness();
    h.failOpen(errno('EISDIR'));
    h.writer.reopen();
    expect(h.said[0]).toMatch(/^jobd: log file \/x\.log: open failed \(EISDIR: failed\); trying again on SIGHUP and every 10 s\n$/);
    h.writer.write('lost\n');
    h.failOpen(null);
    h.advance(10_000);
    h.writer.write('kept\n');
    expect(h.written).toEqual(['kept\n']);
  });

  it('a stream that is gone (EPIPE, EIO) is said once and never written to again', () => {
    for (const code of ['EPIPE', 'EIO']) {
      const h = harness({ whenGone: 'logging only to /x.log' });
      h.fail(errno(code));
      h.writer.write('a\n');
      h.fail(null);
      h.advance(60_000);
      h.writer.write('b\n');
      h.writer.reopen();
      expect(h.said).toEqual([`jobd: log file /x.log is gone (${code}); logging only to /x.log\n`]);
      expect(h.written).toEqual([]);
    }
  });

  it('a sink that throws a value with no usable toString is reported, not rethrown (found by the property below)', () => {
    for (const value of [{ toString: 0 }, Object.create(null), { toString() { throw new Error('no'); } }]) {
      const h = harness();
      h.fail(value);
      expect(() => h.writer.write('a line\n')).not.toThrow();
      expect(h.said).toEqual(['jobd: log file /x.log: write failed (a thrown object that cannot be printed); 1 log line lost\n']);
    }
  });

  it('property: whatever the sink throws and whenever, it never throws and says at most one line per 10 s (plus one "gone")', () => {
    const thrown = fc.oneof(
      fc.constantFrom('ENOSPC', 'EPIPE', 'EIO', 'EISDIR', 'EAGAIN', 'EFBIG', 'weird').map(errno),
      fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true }),
      fc.dictionary(fc.constantFrom('toString', 'valueOf', 'message', 'code'), fc.anything()),
    );
    const step = fc.record({ text: fc.string({ maxLength: 40 }), error: fc.option(thrown), reopen: fc.boolean(), advance: fc.nat(5_000) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), fc.boolean(), (steps, goneable) => {
        const h = harness(goneable ? { whenGone: 'going on' } : {});
        const saidAt: number[] = [];
        let time = 0;
        for (const s of steps) {
          h.fail(s.error ?? null);
          h.failOpen(s.error ?? null);
          const before = h.said.length;
          if (s.reopen) h.writer.reopen();
          else h.writer.write(s.text);
          for (const line of h.said.slice(before)) if (!/ is gone /.test(line)) saidAt.push(time);
          h.advance(s.advance);
          time += s.advance;
        }
        for (let i = 1; i < saidAt.length; i += 1) expect(saidAt[i]! - saidAt[i - 1]!).toBeGreaterThanOrEqual(10_000);
        expect(h.said.filter((line) => / is gone /.test(line)).length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });
});
