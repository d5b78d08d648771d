import { afterEach, describe, expect, it } from 'vitest';
import { createTimerQueue, type TimerQueue } from '../../../src/daemon/timer-queue.js';

// Real time, short delays: lower bounds are exact (never early), upper bounds are generous for two shared cores.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

interface Due {
  key: string;
  at: number;
  firedAt: number;
}

let queues: TimerQueue[] = [];

/** A queue that records every due key; closed after each test. */
function recordingQueue(onDue?: (key: string, queue: TimerQueue) => void): { queue: TimerQueue; fired: Due[] } {
  const fired: Due[] = [];
  const queue: TimerQueue = createTimerQueue((key, at) => {
    fired.push({ key, at, firedAt: Date.now() });
    onDue?.(key, queue);
  });
  queues.push(queue);
  return { queue, fired };
}

afterEach(() => {
  for (const queue of queues) queue.close();
  queues = [];
});

describe('createTimerQueue', () => {
  it('fires keys in time order, once each, never early', async () => {
    const { queue, fired } = recordingQueue();
    const start = Date.now();
    queue.set('c', start + 60);
    queue.set('a', start + 20);
    queue.set('b', start + 40);
    await until(() => fired.length === 3);
    await sleep(60);
    expect(fired.map((d) => d.key)).toEqual(['a', 'b', 'c']);
    expect(fired.map((d) => d.at)).toEqual([start + 20, start + 40, start + 60]);
    for (const due of fired) expect(due.firedAt).toBeGreaterThanOrEqual(due.at);
  });

  it('forgets a key once it has fired', async () => {
    const { queue, fired } = recordingQueue();
    queue.set('a', Date.now() + 10);
    expect(queue.get('a')).toBeTypeOf('number');
    await until(() => fired.length === 1);
    expect(queue.get('a')).toBeUndefined();
  });

  it('fires a time already past at once', async () => {
    const { queue, fired } = recordingQueue();
    const at = Date.now() - 5_000;
    queue.set('late', at);
    await until(() => fired.length === 1, 500);
    expect(fired[0]).toMatchObject({ key: 'late', at });
  });

  it('fires keys due at the same instant in the order they were set', async () => {
    const { queue, fired } = recordingQueue();
    const at = Date.now() + 20;
    for (const key of ['m', 'z', 'a', 'q']) queue.set(key, at);
    await until(() => fired.length === 4);
    expect(fired.map((d) => d.key)).toEqual(['m', 'z', 'a', 'q']);
  });

  it('set again replaces the old time, later', async () => {
    const { queue, fired } = recordingQueue();
    const start = Date.now();
    queue.set('a', start + 20);
    queue.set('a', start + 150);
    expect(queue.get('a')).toBe(start + 150);
    await until(() => fired.length === 1);
    await sleep(50);
    expect(fired).toHaveLength(1);
    expect(fired[0]?.at).toBe(start + 150);
    expect(fired[0]!.firedAt).toBeGreaterThanOrEqual(start + 150);
  });

  it('set again replaces the old time, earlier', async () => {
    const { queue, fired } = recordingQueue();
    const start = Date.now();
    queue.set('a', start + 10_000);
    queue.set('a', start + 20);
    await until(() => fired.length === 1, 1_000);
    expect(fired[0]?.at).toBe(start + 20);
  });

  it('delete prevents a key from firing and leaves the others', async () => {
    const { queue, fired } = recordingQueue();
    const start = Date.now();
    queue.set('a', start + 20);
    queue.set('b', start + 30);
    queue.set('c', start + 40);
    queue.delete('a');
    queue.delete('unknown');
    expect(queue.get('a')).toBeUndefined();
    await until(() => fired.length === 2);
    await sleep(40);
    expect(fired.map((d) => d.key)).toEqual(['b', 'c']);
  });

  it('deleting the only key leaves nothing to fire', async () => {
    const { queue, fired } = recordingQueue();
    queue.set('a', Date.now() + 20);
    queue.delete('a');
    await sleep(80);
    expect(fired).toEqual([]);
  });

  it('among 10,000 far-future keys fires only the near one', async () => {
    const { queue, fired } = recordingQueue();
    const start = Date.now();
    for (let i = 0; i < 10_000; i += 1) queue.set(`far-${i}`, start + 3_600_000 + i);
    queue.set('near', start + 30);
    await until(() => fired.length === 1);
    await sleep(50);
    expect(fired.map((d) => d.key)).toEqual(['near']);
    expect(queue.get('far-0')).toBe(start + 3_600_000);
    expect(queue.get('far-9999')).toBe(start + 3_600_000 + 9_999);
  });

  it('keeps the latest time per key through many replacements', async () => {
    const { queue, fired } = recordingQueue();
    const start = Date.now();
    for (let round = 0; round < 5; round += 1) {
      for (let i = 0; i < 2_000; i += 1) queue.set(`k-${i}`, start + 3_600_000 - round * 1_000 + i);
    }
    for (const i of [1_500, 7, 300]) queue.set(`k-${i}`, start + 20 + i / 100);
    await until(() => fired.length === 3);
    await sleep(50);
    expect(fired.map((d) => d.key)).toEqual(['k-7', 'k-300', 'k-1500']);
    expect(queue.get('k-0')).toBe(start + 3_600_000 - 4_000);
  });

  it('lets onDue set its key again, like a repeating schedule', async () => {
    const { queue, fired } = recordingQueue((key, q) => {
      if (fired.length < 3) q.set(key, Date.now() + 10);
    });
    queue.set('tick', Date.now() + 10);
    await until(() => fired.length === 3);
    await sleep(50);
    expect(fired.map((d) => d.key)).toEqual(['tick', 'tick', 'tick']);
    expect(queue.get('tick')).toBeUndefined();
  });

  it('close() stops every pending key', async () => {
    const { queue, fired } = recordingQueue();
    const start = Date.now();
    queue.set('a', start + 20);
    queue.set('b', start + 40);
    queue.close();
    await sleep(100);
    expect(fired).toEqual([]);
  });

  it('close() inside onDue stops the keys due in the same batch', async () => {
    const { queue, fired } = recordingQueue((_key, q) => q.close());
    const at = Date.now() + 20;
    queue.set('first', at);
    queue.set('second', at);
    await until(() => fired.length >= 1);
    await sleep(50);
    expect(fired.map((d) => d.key)).toEqual(['first']);
  });
});
