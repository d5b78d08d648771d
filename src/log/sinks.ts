import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where log text goes, one synchronous call per write; throws what the system says. */
export interface Sink {
  /** Writes all of `text`, or throws. */
  write(text: string): void;
  /** Opens the destination (again); throws when it cannot. Absent for a plain descriptor. */
  reopen?(): void;
}

// A pipe whose reader is slow answers EAGAIN once it is full (Node makes stdout pipes
// non-blocking); wait a little for it, but never hold the daemon's loop for long.
const EAGAIN_WAIT_MS = 5;
const EAGAIN_GIVE_UP_MS = 100;
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes to an open descriptor (stdout: fd 1). */
export function fdSink(fd: number): Sink {
  const writer = descriptorWriter();
  return { write: (text) => writer.write(fd, text) };
}

/** Appends to a file, created with its parent directories; `reopen` is logrotate's SIGHUP. */
export function fileSink(path: string): Sink {
  let fd: number | null = null;
  const writer = descriptorWriter();
  return {
    write(text) {
      if (fd === null) throw Object.assign(new Error('not open (an earlier open failed)'), { code: 'ENOTOPEN' });
      writer.write(fd, text);
    },
    reopen() {
      mkdirSync(dirname(path), { recursive: true });
      const next = openSync(path, 'a');
      const previous = fd;
      fd = next;
      if (previous === null) return;
      try {
        closeSync(previous);
      } catch {
        // The old descriptor is of no further use whether or not it closed cleanly.
      }
    },
  };
}

function descriptorWriter(): { write(fd: number, text: string): void } {
  // After a write that stopped half-way, the next one starts on a fresh line, so a
  // reader never sees two events glued into one line.
  let midLine = false;
  return {
    write(fd, text) {
      const bytes = Buffer.from(midLine ? `\n${text}` : text);
      let offset = 0;
      let waited = 0;
      try {
        while (offset < bytes.length) {
          try {
            offset += writeSync(fd, bytes, offset);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || waited >= EAGAIN_GIVE_UP_MS) throw error;
            Atomics.wait(pause, 0, 0, EAGAIN_WAIT_MS);
            waited += EAGAIN_WAIT_MS;
          }
        }
      } finally {
        if (offset > 0) midLine = offset < bytes.length;
      }
    },
  };
}
