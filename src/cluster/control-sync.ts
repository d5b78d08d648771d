import type { ClusterConfig, ClusterReport } from '../types.js';
import type { Database } from './connection.js';
import { channelOf, readControl } from './control.js';
import { startListener } from './listen.js';

// Reads what the cluster wants of this node on every hint from LISTEN and, as the
// backstop for lost notifications, every sixth of a lease.
export function startControlSync(input: { db: Database; S: string; config: ClusterConfig; report(report: ClusterReport): void }): { stop(): void } {
  let running = false;
  let again = false;
  const sync = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const readStartedAt = performance.now();
        const state = await readControl(input.db, input.S, input.config.nodeId);
        if (state) input.report({ kind: 'control', paused: [...state.paused], runCounts: [...state.runCounts], readStartedAt, cancel: state.cancel });
      } while (again);
    } finally {
      running = false;
    }
  };
  const listener = startListener({ url: input.config.url, channel: channelOf(input.config.schema), nodeId: input.config.nodeId, onHint: () => void sync() });
  const timer = setInterval(() => void sync(), Math.max(100, Math.floor(input.config.leaseMs / 6)));
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      listener.stop();
    },
  };
}
