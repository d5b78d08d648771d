import { describe, expect, it } from 'vitest';
import { createEventRing, RING_MAX_EVENT_BYTES } from '../../../src/log/event-ring.js';

const ALL = { n: null, sinceMs: null, job: null, minLevel: null };
const event = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ level: 'info', time: new Date(Date.UTC(2026, 7, 1, 0, 0, i)).toISOString(), event: 'run.output', job: i % 2 ? 'odd' : 'even', line: `l${i}`, ...extra });

describe('the ring of recent events (issue 14)', () => {
  it('issue 14: keeps the last events within both its count and its byte bound, oldest going first', () => {
    const counted = createEventRing({ maxEvents: 100 });
    for (let i = 0; i < 5_000; i += 1) counted.add(event(i));
    const kept = counted.query(ALL).map((line) => JSON.parse(line) as { line: string });
    expect(kept).toHaveLength(100);
    expect(kept[0]!.line).toBe('l4900');
    expect(kept[99]!.line).toBe('l4999');

    const sized = createEventRing({ maxBytes: 10_000 });
    for (let i = 0; i < 1_000; i += 1) sized.add(event(i, { pad: 'p'.repeat(400) }));
    const lines = sized.query(ALL);
    expect(lines.join('').length).toBeLessThanOrEqual(10_000);
    expect(lines.length).toBeGreaterThan(10);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ line: 'l999' });
  });

  it('issue 14: an event over the line bound is kept with its long strings cut, and marked truncated', () => {
    const ring = createEventRing();
    ring.add(event(1, { line: 'y'.repeat(RING_MAX_EVENT_BYTES * 2) }));
    const [line] = ring.query(ALL);
    expect(line!.length).toBeLessThan(RING_MAX_EVENT_BYTES);
    expect(JSON.parse(line!)).toMatchObject({ event: 'run.output', job: 'odd', truncated: true, line: expect.stringMatching(/^y+…$/) });
  });

  it('issue 14: n, since, job and level filter; n counts the newest matching', () => {
    const ring = createEventRing();
    for (let i = 0; i < 20; i += 1) ring.add(event(i, i === 4 || i === 6 ? { level: 'warn' } : i === 8 ? { level: 'error' } : {}));
    const lineOf = (l: string) => (JSON.parse(l) as { line: string }).line;
    expect(ring.query({ ...ALL, n: 3 }).map(lineOf)).toEqual(['l17', 'l18', 'l19']);
    expect(ring.query({ ...ALL, job: 'even', n: 2 }).map(lineOf)).toEqual(['l16', 'l18']);
    expect(ring.query({ ...ALL, minLevel: 'warn' }).map(lineOf)).toEqual(['l4', 'l6', 'l8']);
    expect(ring.query({ ...ALL, minLevel: 'error' }).map(lineOf)).toEqual(['l8']);
    expect(ring.query({ ...ALL, sinceMs: Date.UTC(2026, 7, 1, 0, 0, 17) }).map(lineOf)).toEqual(['l17', 'l18', 'l19']);
    expect(ring.query({ ...ALL, n: 0 })).toEqual([]);
  });

  it('issue 14: since keeps the newer lines written after the clock stepped back', () => {
    const ring = createEventRing();
    for (const i of [10, 11, 12, 3, 4, 13]) ring.add(event(i));
    const lineOf = (l: string) => (JSON.parse(l) as { line: string }).line;
    expect(ring.query({ ...ALL, sinceMs: Date.UTC(2026, 7, 1, 0, 0, 11) }).map(lineOf)).toEqual(['l11', 'l12', 'l13']);
  });

  it('issue 14: a level named after an Object.prototype member ranks as no level', () => {
    const ring = createEventRing();
    ring.add(event(1, { level: 'constructor' }));
    ring.add(event(2, { level: 'warn' }));
    expect(ring.query({ ...ALL, minLevel: 'info' }).map((l) => (JSON.parse(l) as { line: string }).line)).toEqual(['l2']);
  });
});
