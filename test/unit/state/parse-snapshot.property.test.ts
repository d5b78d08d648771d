import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../../src/state/snapshot.js';
import type { JobRecord, RunRecord, StateSnapshot } from '../../../src/types.js';

// The property for every reader of outside input: never throws, and returns either a
// snapshot whose every record has the right field types, or a reason, in bounded time.

const isInstant = (v: unknown): boolean => typeof v === 'string' && Number.isFinite(Date.parse(v));
const isNullableInstant = (v: unknown): boolean => v === null || isInstant(v);
const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

function checkRun(run: RunRecord): void {
  expect(typeof run.run).toBe('string');
  expect(typeof run.job).toBe('string');
  expect(isInstant(run.scheduledAt)).toBe(true);
  if (run.status === 'skipped') {
    expect(typeof run.reason).toBe('string');
    return;
  }
  expect(['ok', 'failed', 'timeout', 'cancelled', 'interrupted']).toContain(run.status);
  expect(isInstant(run.startedAt) && isInstant(run.endedAt)).toBe(true);
  expect(typeof run.stdout === 'string' && typeof run.stderr === 'string').toBe(true);
  expect(Number.isFinite(run.durationMs)).toBe(true);
}

function checkRecord(record: JobRecord): void {
  expect(typeof record.id).toBe('string');
  expect(typeof record.file).toBe('string');
  expect(isCount(record.runCount) && isCount(record.runSeq)).toBe(true);
  expect(typeof record.paused).toBe('boolean');
  for (const at of [record.nextRunAt, record.lastFireAt, record.lastStartedAt, record.lastOkAt]) expect(isNullableInstant(at)).toBe(true);
  expect(Array.isArray(record.history)).toBe(true);
  record.history.forEach(checkRun);
  if (record.lastRun !== null) checkRun(record.lastRun);
  if (record.definition !== null) {
    expect(typeof record.definition.env).toBe('object');
    for (const value of Object.values(record.definition.env)) expect(typeof value).toBe('string');
    expect(record.definition.schedule === null || typeof record.definition.schedule.kind === 'string').toBe(true);
  }
}

function checkSnapshot(snapshot: StateSnapshot): void {
  expect(snapshot.version).toBe(1);
  expect(isInstant(snapshot.savedAt)).toBe(true);
  snapshot.jobs.forEach(checkRecord);
  for (const running of snapshot.running) {
    expect(typeof running.run === 'string' && typeof running.job === 'string').toBe(true);
    expect(isInstant(running.startedAt) && isInstant(running.scheduledAt)).toBe(true);
    expect(running.pid === null || Number.isSafeInteger(running.pid)).toBe(true);
  }
}

/** Parses, checks the result, and that it came back fast; says whether it was a snapshot. */
function parsesSafely(text: string): boolean {
  const started = performance.now();
  const parsed = parseSnapshot(text);
  expect(performance.now() - started).toBeLessThan(1_000);
  if (parsed.ok) checkSnapshot(parsed.snapshot);
  else expect(parsed.reason).toMatch(/\S/);
  return parsed.ok;
}

const instant = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
// Each field: most often of the right type, sometimes any JSON value at all.
const or = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 30, arbitrary: good }, { weight: 1, arbitrary: fc.jsonValue() });

const run = fc.record(
  {
    run: or(fc.string({ minLength: 1 })), job: or(fc.string({ minLength: 1 })), trigger: or(fc.constantFrom('schedule', 'manual', 'retry')),
    status: or(fc.constantFrom('ok', 'failed', 'skipped', 'interrupted')), scheduledAt: or(instant), startedAt: or(instant), endedAt: or(instant),
    durationMs: or(fc.nat()), pid: or(fc.option(fc.nat())), exitCode: or(fc.option(fc.integer())), signal: or(fc.option(fc.string())),
    stdout: or(fc.string()), stderr: or(fc.string()), reason: or(fc.string()),
  },
  { requiredKeys: [] },
);

const definition = fc.record(
  {
    id: or(fc.string({ minLength: 1 })), file: or(fc.string()), env: or(fc.dictionary(fc.string(), fc.string())),
    schedule: or(fc.option(fc.oneof(fc.record({ kind: fc.constant('interval'), everyMs: fc.nat() }), fc.record({ kind: fc.constant('once'), at: instant })))),
    command: or(fc.oneof(fc.record({ shell: fc.string() }), fc.record({ argv: fc.array(fc.string()) }))),
  },
  { requiredKeys: [] },
);

const record = fc.record(
  {
    id: or(fc.string({ minLength: 1 })), runCount: or(fc.nat()), runSeq: or(fc.nat()), file: or(fc.string()), definition: or(fc.option(definition)),
    state: or(fc.constantFrom('scheduled', 'done', 'invalid')), nextRunAt: or(fc.option(instant)), lastFireAt: or(fc.option(instant)),
    paused: or(fc.boolean()), lastRun: or(fc.option(run)), history: or(fc.array(run, { maxLength: 4 })),
  },
  { requiredKeys: ['id', 'runCount'] },
);

const running = fc.record(
  { run: or(fc.string({ minLength: 1 })), job: or(fc.string({ minLength: 1 })), pid: or(fc.option(fc.nat())), startedAt: or(instant), marker: fc.jsonValue() },
  { requiredKeys: [] },
);

const document = fc.record(
  { version: or(fc.constant(1)), savedAt: or(instant), jobs: or(fc.array(record, { maxLength: 4 })), running: or(fc.array(running, { maxLength: 3 })) },
  { requiredKeys: ['version', 'jobs'] },
);

/** A JSON value nested 40 to 20,000 deep in arrays or objects: deeper than any state file jobd writes. */
const nested = fc.tuple(fc.integer({ min: 40, max: 20_000 }), fc.boolean()).map(([depth, arrays]) =>
  arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
);

describe('parseSnapshot (property)', () => {
  it('issue 11.3: random JSON values never throw, and give a snapshot of the right types or a reason', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => void parsesSafely(JSON.stringify(value) ?? 'null')), { numRuns: 300 });
  });

  it('issue 11.3: records with random field types never throw, and give a snapshot of the right types or a reason', () => {
    let snapshots = 0;
    fc.assert(
      fc.property(document, (doc) => {
        if (parsesSafely(JSON.stringify(doc))) snapshots += 1;
      }),
      { numRuns: 400 },
    );
    // Both outcomes are exercised: the right-typed snapshots are checked, not only refusals.
    expect(snapshots).toBeGreaterThan(20);
    expect(snapshots).toBeLessThan(400);
  });

  it('issue 11.3: deep nesting anywhere in a record is refused, never a stack overflow', () => {
    fc.assert(
      fc.property(nested, fc.constantFrom('definition', 'lastRun', 'history', 'extra'), (deep, field) => {
        const value = field === 'history' ? `[${deep}]` : deep;
        const text = `{"version":1,"jobs":[{"id":"a","runCount":0,"${field}":${value}}],"running":[]}`;
        expect(parsesSafely(text)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('issue 11.3: random bytes never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => void parsesSafely(Buffer.from(bytes).toString('utf8'))), { numRuns: 300 });
  });
});
