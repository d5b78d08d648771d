import type { DaemonControl } from '../types.js';
import { logEvent } from '../log/events.js';
import type { Metrics } from '../metrics/metrics.js';
import type { DaemonContext } from './context.js';
import { jobById } from './registry.js';

/** What a started `--http` gives back to the daemon: how to close it, and where it listens. */
export type HttpListener = { ok: true; close: () => Promise<void>; address: string | null } | { ok: false; message: string };

/** Whether `--metrics` names the same address as `--http`, so one listener serves both. */
export function metricsFoldedIntoHttp(config: DaemonContext['config']): boolean {
  const { metrics, http } = config;
  return metrics !== null && http !== null && metrics.host === http.host && metrics.port === http.port;
}

/** Starts the status page when `--http` asks for it; loaded only then, like the metrics. */
export async function serveHttp(ctx: DaemonContext, control: DaemonControl, metrics: Metrics | null): Promise<HttpListener> {
  const http = ctx.config.http;
  if (!http) return { ok: true, close: async () => undefined, address: null };
  const { startHttpServer } = await import('../http/http-server.js');
  const server = await startHttpServer({
    ...http,
    control,
    maxConcurrency: ctx.config.maxConcurrency,
    definitionOf: (id) => jobById(ctx.registry, id) ?? null,
    metrics: metrics && metricsFoldedIntoHttp(ctx.config) ? { metrics, healthy: () => !ctx.stopping } : null,
    onError: (error) => logEvent(ctx.logger, 'daemon.error', { message: error.message, path: `--http ${http.host}` }),
    onDropped: (reason) => logEvent(ctx.logger, 'control.dropped', { reason }),
  });
  if (!server.ok) return server;
  const host = http.host.includes(':') ? `[${http.host}]` : http.host;
  return { ok: true, close: server.close, address: `${host}:${server.port}` };
}
