import pg from 'pg';

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

/**
 * A dedicated connection that LISTENs on the cluster's channel. A notification is only a
 * hint to read the control state (polling is the backstop); after every (re)connect the
 * caller reads it too, since notifications sent while disconnected are lost. A failed
 * client is never reused: each reconnect, after a doubling backoff, makes a new one.
 */
export function startListener(input: { url: string; channel: string; nodeId: string; onHint(): void }): { stop(): void } {
  let stopped = false;
  let client: pg.Client | null = null;
  let backoff = FIRST_BACKOFF_MS;
  let retry: NodeJS.Timeout | undefined;

  const reconnectLater = (): void => {
    client = null;
    if (stopped) return;
    retry = setTimeout(connect, backoff);
    retry.unref();
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  const connect = (): void => {
    const fresh = new pg.Client({ connectionString: input.url, keepAlive: true, connectionTimeoutMillis: 3_000, application_name: `jobd ${input.nodeId} listen`.slice(0, 63) });
    client = fresh;
    let failed = false;
    const fail = (): void => {
      if (failed) return;
      failed = true;
      // The connection is already broken; ending it only frees the socket.
      fresh.end().catch(() => undefined);
      reconnectLater();
    };
    fresh.on('error', fail);
    fresh.on('end', fail);
    fresh.on('notification', () => input.onHint());
    fresh
      .connect()
      .then(() => fresh.query(`LISTEN ${pg.escapeIdentifier(input.channel)}`))
      .then(() => {
        backoff = FIRST_BACKOFF_MS;
        if (stopped) void fresh.end();
        else input.onHint();
      }, fail);
  };

  connect();
  return {
    stop() {
      stopped = true;
      clearTimeout(retry);
      // A client that never connected, or already broke, has nothing left to close.
      void client?.end().catch(() => undefined);
    },
  };
}
