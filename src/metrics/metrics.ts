import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DaemonStatus } from '../types.js';

/** The Prometheus registry and the function that feeds it log events. */
export interface Metrics {
  registry: Registry;
  observe(event: Record<string, unknown>): void;
  /** The exposition text; the daemon's status is read once per scrape, not once per gauge. */
  scrape(): Promise<string>;
}

// One series per diverged job; the count gauge above stays exact beyond this.
const MAX_DIVERGED_LABELS = 1000;

const seconds = (ms: unknown): number => (typeof ms === 'number' ? ms / 1000 : 0);

/** jobd's metrics: counters and histograms fed by events, gauges read from `status()` at scrape time. */
export function createMetrics(status: () => DaemonStatus): Metrics {
  const registry = new Registry();
  let scraped: DaemonStatus | null = null;
  const current = (): DaemonStatus => (scraped ??= status());
  const runs = new Counter({ name: 'jobd_runs_total', help: 'Runs ended, by job and status', labelNames: ['job', 'status'], registers: [registry] });
  const timeouts = new Counter({ name: 'jobd_timeouts_total', help: 'Runs stopped by their timeout', labelNames: ['job'], registers: [registry] });
  const duration = new Histogram({
    name: 'jobd_run_duration_seconds', help: 'Run durations', labelNames: ['job'], registers: [registry],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800, 3600],
  });
  const lateness = new Histogram({
    name: 'jobd_run_lateness_seconds', help: 'Start of a run after its scheduled instant', registers: [registry],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
  });
  const late = new Counter({ name: 'jobd_runs_late_total', help: 'Runs that started more than 1 s after their instant', labelNames: ['job'], registers: [registry] });
  const missed = new Counter({ name: 'jobd_fires_missed_total', help: 'Fires stepped over after a stall', labelNames: ['job'], registers: [registry] });
  const lastSuccess = new Gauge({ name: 'jobd_last_success_timestamp_seconds', help: 'When each job last ended ok', labelNames: ['job'], registers: [registry] });
  new Gauge({
    name: 'jobd_running_runs', help: 'Runs in progress', registers: [registry],
    collect() { this.set(current().running.length); },
  });
  new Gauge({
    name: 'jobd_jobs', help: 'Jobs by lifecycle state', labelNames: ['state'], registers: [registry],
    collect() { for (const [state, count] of Object.entries(current().counts)) this.set({ state }, count); },
  });
  new Gauge({
    name: 'jobd_invalid_files', help: 'Job files that are invalid now', registers: [registry],
    collect() { this.set(new Set(current().invalidFiles.map((p) => p.file)).size); },
  });
  new Gauge({
    name: 'jobd_cluster_diverged_jobs', help: 'Cluster mode: jobs whose definition differs between live nodes or from the published one', registers: [registry],
    collect() { this.set(current().cluster?.diverged.length ?? 0); },
  });
  new Gauge({
    name: 'jobd_cluster_diverged', help: 'Cluster mode: 1 for each job whose definition differs (at most 1000 jobs listed)', labelNames: ['job'], registers: [registry],
    collect() {
      // Reset first, so a job that converged again drops out instead of staying at its last value.
      this.reset();
      for (const job of (current().cluster?.diverged ?? []).slice(0, MAX_DIVERGED_LABELS)) this.set({ job }, 1);
    },
  });
  const observe = (event: Record<string, unknown>): void => {
    const job = String(event.job ?? '');
    if (event.event === 'run.end') {
      runs.inc({ job, status: String(event.status) });
      duration.observe({ job }, seconds(event.durationMs));
      if (event.status === 'ok') lastSuccess.set({ job }, Date.parse(String(event.time)) / 1000);
    } else if (event.event === 'run.timeout') timeouts.inc({ job });
    else if (event.event === 'run.late') late.inc({ job });
    else if (event.event === 'run.missed' && typeof event.count === 'number') missed.inc({ job }, event.count);
    else if (event.event === 'run.start' && typeof event.scheduledAt === 'string') {
      lateness.observe(Math.max(0, (Date.parse(String(event.time)) - Date.parse(event.scheduledAt)) / 1000));
    }
  };
  const scrape = async (): Promise<string> => {
    try {
      return await registry.metrics();
    } finally {
      scraped = null;
    }
  };
  return { registry, observe, scrape };
}
