import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeJobBytes } from '../../../src/job/job-text.js';
import { jobDefinitionKey, parseJobText } from '../../../src/job/load-job-file.js';
import type { Job, Loaded } from '../../../src/types.js';

const FILE = '/srv/jobs.d/fuzz.json';
const RUNS = { numRuns: 200 };

/** Reads text the way the daemon does; every outcome a value, within a bounded time. */
function parse(text: string): Loaded<Job> {
  const started = performance.now();
  const loaded = parseJobText({ text, file: FILE, defaultZone: 'UTC', cwd: '/srv' });
  expect(performance.now() - started).toBeLessThan(2_000);
  return loaded;
}

/** What every outcome must be: a job that can be walked and saved, or problems a person can read. */
function expectWellFormed(loaded: Loaded<Job>): void {
  for (const item of [...(loaded.ok ? [] : loaded.problems), ...(loaded.warnings ?? [])]) {
    expect(item.file).toBe(FILE);
    expect(typeof item.path).toBe('string');
    expect(item.message.trim()).not.toBe('');
    expect(item.message).not.toMatch(/\[native code\]|\[object Object\]/);
    expect(item.path.length + item.message.length).toBeLessThan(2_000);
  }
  if (loaded.ok) {
    expect(() => jobDefinitionKey(loaded.value)).not.toThrow();
    expect(loaded.value.command).toBeDefined();
  } else expect(loaded.problems.length).toBeGreaterThan(0);
}

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__'];
const FIELDS = ['id', 'description', 'schedule', 'command', 'args', 'cwd', 'env', 'timeout', 'killGrace', 'onTimeout', 'overlap',
  'retries', 'retryDelay', 'maxRuns', 'jitter', 'catchUp', 'onLeaseLoss', 'after', 'enabled', 'maxOutput', 'interval', 'unit', 'task', 'job_id'];

const fieldName = fc.oneof(fc.constantFrom(...FIELDS, ...PROTOTYPE_NAMES), fc.string({ unit: 'binary', maxLength: 80 }));
const value = fc.jsonValue({ maxDepth: 4 });

/** Objects shaped like jobs: a valid base, with random values under real, prototype and random field names. */
const jobLike = fc
  .tuple(fc.dictionary(fieldName, value, { maxKeys: 6 }), fc.dictionary(fc.constantFrom(...PROTOTYPE_NAMES), fc.string(), { maxKeys: 2 }))
  .map(([fields, env]) => ({ schedule: '@hourly', command: 'echo hi', env, ...fields }));

/** Text nested `depth` levels deep, of arrays and objects mixed, somewhere in a job. */
const deepJob = fc
  .tuple(fc.integer({ min: 0, max: 6_000 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.constantFrom('args', 'env', 'schedule', 'command', 'x'))
  .map(([depth, kinds, field]) => {
    let open = '';
    let close = '';
    for (let i = 0; i < depth; i++) {
      const object = kinds[i % kinds.length];
      open += object ? '{"k":' : '[';
      close = (object ? '}' : ']') + close;
    }
    return { depth, text: `{"schedule": "@hourly", "command": "true", "${field}": ${open}1${close}}` };
  });

describe('job file parsing never throws (property)', () => {
  it('issue 11.1: any JSON value is a job or problems', () => {
    fc.assert(fc.property(value, (json) => expectWellFormed(parse(JSON.stringify(json)))), RUNS);
  });

  it('issue 11.25: objects shaped like jobs, with prototype and random field names, are a job or problems', () => {
    fc.assert(fc.property(jobLike, (job) => expectWellFormed(parse(JSON.stringify(job)))), RUNS);
  });

  it('issue 11.25: a prototype name as a field is an unknown field, never accepted', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROTOTYPE_NAMES), value, (name, json) => {
        const loaded = parse(`{"schedule": "@hourly", "command": "true", ${JSON.stringify(name)}: ${JSON.stringify(json)}}`);
        expect(loaded.ok).toBe(false);
        if (!loaded.ok) expect(loaded.problems).toContainEqual({ file: FILE, path: name, message: expect.stringMatching(/^unknown field/) });
      }),
      RUNS,
    );
  });

  it('issue 11.1: nesting of any depth is a job or problems, and past 64 levels always a problem', () => {
    fc.assert(
      fc.property(deepJob, ({ depth, text }) => {
        const loaded = parse(text);
        expectWellFormed(loaded);
        if (depth + 1 > 64) {
          expect(loaded.ok).toBe(false);
          if (!loaded.ok) expect(loaded.problems[0]!.message).toMatch(/nested more than 64 levels deep/);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('issue 11.25: a repeated key warns naming it, and the job keeps the last value', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 2, maxLength: 4 }), (commands) => {
        const text = `{"schedule": "@hourly", ${commands.map((c) => `"command": ${JSON.stringify(c)}`).join(', ')}}`;
        const loaded = parse(text);
        expectWellFormed(loaded);
        expect(loaded.warnings?.map((w) => w.path)).toEqual(commands.slice(1).map(() => 'command'));
        if (loaded.ok) expect(loaded.value.command).toEqual({ shell: commands.at(-1) });
      }),
      RUNS,
    );
  });

  it('random text is a job or problems', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => expectWellFormed(parse(text))), RUNS);
  });

  it('issue 11.25: random bytes are text or one clear refusal, and the text a job or problems', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const decoded = decodeJobBytes(Buffer.from(bytes));
        if (decoded.ok) expectWellFormed(parse(decoded.text));
        else expect(decoded.message).toMatch(/save it as UTF-8$/);
      }),
      RUNS,
    );
  });
});
