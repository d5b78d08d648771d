/**
 * Never sleep longer than this in one timer, so a suspended machine or a
 * wall-clock jump is noticed within 30 s (as croner does).
 */
const MAX_SLEEP_MS = 30_000;

interface Entry {
  at: number;
  key: string;
  version: number;
}

/** Due times by key, served by one timer for the earliest. */
export interface TimerQueue {
  set(key: string, at: number): void;
  delete(key: string): void;
  get(key: string): number | undefined;
  close(): void;
}

/** A min-heap of (at, key) with one `setTimeout`; `onDue` gets each key once its time has come. */
export function createTimerQueue(onDue: (key: string, at: number) => void): TimerQueue {
  const heap: Entry[] = [];
  const current = new Map<string, Entry>();
  let timer: NodeJS.Timeout | null = null;
  let armedFor = Infinity;
  let closed = false;
  let version = 0;

  const arm = (): void => {
    dropStale(heap, current);
    const top = heap[0];
    const at = top ? top.at : Infinity;
    if (timer && at === armedFor) return;
    if (timer) clearTimeout(timer);
    timer = null;
    armedFor = at;
    if (closed || !top) return;
    timer = setTimeout(wake, Math.max(0, Math.min(at - Date.now(), MAX_SLEEP_MS)));
  };
  const wake = (): void => {
    timer = null;
    armedFor = Infinity;
    const now = Date.now();
    const due: Entry[] = [];
    for (dropStale(heap, current); heap[0] && heap[0].at <= now; dropStale(heap, current)) {
      const entry = pop(heap);
      current.delete(entry.key);
      due.push(entry);
    }
    for (const entry of due) if (!closed) onDue(entry.key, entry.at);
    arm();
  };

  return {
    set(key, at) {
      const entry = { at, key, version: ++version };
      current.set(key, entry);
      push(heap, entry);
      // Replaced entries stay in the heap until they surface; compact when they dominate.
      if (heap.length > 64 && heap.length > current.size * 2) rebuild(heap, current);
      arm();
    },
    delete(key) {
      if (current.delete(key)) arm();
    },
    get: (key) => current.get(key)?.at,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

function dropStale(heap: Entry[], current: Map<string, Entry>): void {
  while (heap[0] && current.get(heap[0].key) !== heap[0]) pop(heap);
}

function rebuild(heap: Entry[], current: Map<string, Entry>): void {
  heap.length = 0;
  for (const entry of current.values()) push(heap, entry);
}

const before = (a: Entry, b: Entry): boolean => a.at < b.at || (a.at === b.at && a.version < b.version);

function push(heap: Entry[], entry: Entry): void {
  heap.push(entry);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function pop(heap: Entry[]): Entry {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length === 0) return top;
  heap[0] = last;
  for (let i = 0; ; ) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
    if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
    if (m === i) return top;
    [heap[i], heap[m]] = [heap[m]!, heap[i]!];
    i = m;
  }
}
