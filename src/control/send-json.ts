import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Bytes written between two turns of the event loop: small enough that a timer never waits long. */
const SLICE_CHARS = 64 * 1024;
/** A client that takes no bytes for this long is cut off, so it cannot pin a response in memory. */
const STALL_MS = 10_000;

/**
 * Answers `body` as JSON, written in slices that yield to the event loop, so a
 * status of thousands of jobs never freezes firing; waits while the client is
 * slow, gives up on a client that stopped reading or went away.
 */
export async function sendJson(res: ServerResponse, status: number, body: unknown): Promise<void> {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  let slice = '';
  for (const piece of jsonPieces(body, 2)) {
    slice += piece;
    if (slice.length < SLICE_CHARS) continue;
    const flowing = res.write(slice);
    slice = '';
    if (!(await clientKeptUp(res, flowing))) return;
  }
  res.end(`${slice}\n`);
}

/**
 * The same text as `JSON.stringify(value)`, in pieces: arrays and plain objects
 * down to `depth` are opened, so a long list comes out one element at a time.
 */
export function* jsonPieces(value: unknown, depth: number): Generator<string> {
  if (depth > 0 && Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) yield ',';
      yield* jsonPieces(value[i] === undefined ? null : value[i], depth - 1);
    }
    yield ']';
  } else if (depth > 0 && isPlainObject(value)) {
    yield '{';
    let first = true;
    for (const [key, field] of Object.entries(value)) {
      if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue;
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      first = false;
      yield* jsonPieces(field, depth - 1);
    }
    yield '}';
  } else {
    yield JSON.stringify(value) ?? 'null';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

async function clientKeptUp(res: ServerResponse, flowing: boolean): Promise<boolean> {
  if (flowing) {
    await nextTurn();
    return !res.destroyed;
  }
  const outcome = await new Promise<'drain' | 'gone' | 'stalled'>((resolve) => {
    const timer = setTimeout(() => settle('stalled'), STALL_MS);
    const onDrain = (): void => settle('drain');
    const onClose = (): void => settle('gone');
    function settle(how: 'drain' | 'gone' | 'stalled'): void {
      clearTimeout(timer);
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(how);
    }
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
  if (outcome === 'stalled') res.destroy();
  return outcome === 'drain' && !res.destroyed;
}
