import type { DestinationStream } from 'pino';

/** A destination that gathers the lines of one turn of the event loop into one write. */
export interface BatchedStream extends DestinationStream {
  /** Writes out the lines gathered so far, now. */
  flush(): void;
}

/**
 * Gathers lines and hands them to `target` as one string once the current turn of the
 * event loop is done (setImmediate): a load of 10,000 jobs or a burst of runs makes a
 * few hundred write calls instead of one system call per line, and lines keep their
 * order. The `exit` handler writes out what a sudden exit would leave behind.
 */
export function batchedStream(target: { write(text: string): unknown }): BatchedStream {
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    target.write(text);
  };
  process.on('exit', flush);
  return {
    write(line: string) {
      pending += line;
      if (scheduled) return;
      scheduled = true;
      setImmediate(flush);
    },
    flush,
  };
}
