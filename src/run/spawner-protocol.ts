import type { CommandEnd, LeaderExit, SpawnInput } from './spawner.js';

/**
 * The spawner child's messages, over its IPC channel with V8 serialisation (output
 * chunks travel as bytes, not as JSON arrays). Ids are the daemon's, one per command.
 */
export type ToSpawner =
  | { t: 'start'; id: number; input: SpawnInput }
  | { t: 'abandon'; id: number }
  /** Output bytes the daemon has taken in since its last ack: the child reads on while few are in flight. */
  | { t: 'ack'; bytes: number };

export type FromSpawner =
  | { t: 'started'; id: number; pid: number | undefined }
  | { t: 'not-started'; id: number; reason: string }
  | { t: 'output'; id: number; stream: 0 | 1; chunk: Uint8Array }
  | { t: 'abandoned'; id: number; exit: LeaderExit }
  | { t: 'ended'; id: number; end: CommandEnd };

/** The child stops reading output once this many bytes are sent and not yet acked, and reads again below the low mark. */
export const OUTPUT_HIGH_BYTES = 8 * 1024 * 1024;
export const OUTPUT_LOW_BYTES = 2 * 1024 * 1024;
/** How many bytes the daemon takes in before it acks them: a fraction of the window, so reading never stalls for long. */
export const ACK_EVERY_BYTES = 1024 * 1024;
