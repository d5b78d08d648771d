import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definitionHash } from '../../../src/cluster/definition-hash.js';
import type { Job } from '../../../src/types.js';
import { makeJob } from '../builders.js';

// The same keys, inserted in the opposite order at every level: what another node's build of the job may look like.
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]));
}

describe('definitionHash', () => {
  it('issue 12: the same definition hashes the same on every node, wherever its file lives and in whatever key order', () => {
    const job = makeJob({ env: { B: '2', A: '1' }, schedule: { kind: 'cron', expression: '0 3 * * *', timezone: 'Europe/Paris' } });
    const elsewhere = { ...(reordered(job) as Job), file: '/etc/jobd/jobs.d/backup.json' };
    expect(definitionHash(elsewhere)).toBe(definitionHash(job));
    expect(definitionHash(job)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[string, Partial<Job>]>([
    ['command', { command: { shell: 'false' } }],
    ['cwd', { cwd: '/tmp' }],
    ['env', { env: { A: '1' } }],
    ['schedule', { schedule: { kind: 'interval', everyMs: 30_000 } }],
    ['overlap', { overlap: 'allow' }],
    ['maxRuns', { maxRuns: 3 }],
  ])('issue 12: a different %s is a different definition', (_field, change) => {
    expect(definitionHash(makeJob(change))).not.toBe(definitionHash(makeJob()));
  });

  it('issue 12: any env and args hash without throwing, in bounded time, and key order never matters', () => {
    const text = fc.string({ unit: 'binary', maxLength: 50 });
    fc.assert(
      fc.property(fc.dictionary(text, text, { maxKeys: 20 }), fc.array(text, { maxLength: 20 }), (env, args) => {
        const job = makeJob({ env, args });
        const started = performance.now();
        const hash = definitionHash(job);
        expect(performance.now() - started).toBeLessThan(50);
        expect(definitionHash(reordered(job) as Job)).toBe(hash);
      }),
      { numRuns: 300 },
    );
  });
});
