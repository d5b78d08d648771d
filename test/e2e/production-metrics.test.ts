import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { writeJob } from '../helpers/jobs.js';
import { startDaemon, type LogEvent } from '../helpers/start-daemon.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text exposition; throws on any line that is not a comment or a sample. */
function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) {
      if (line.startsWith('#')) expect(line, 'comment line').toMatch(/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+/);
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    const value = match[3] === '+Inf' ? Infinity : Number(match[3]);
    if (Number.isNaN(value)) throw new Error(`not a number in: ${line}`);
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('production: metrics', () => {
  const tmp = useTempDir();

  it('--metrics 0 serves /metrics and /healthz on a free loopback port', async () => {
    const jobs = tmp().jobsDir;
    await writeJob(jobs, 'fine', { schedule: '@every 1s', command: 'exit 0' });
    await writeJob(jobs, 'broken', { schedule: '@every 1s', command: 'exit 4' });
    await writeJob(jobs, 'slow', { schedule: '@every 1s', command: 'sleep 10', timeout: '300ms', killGrace: '1s' });
    await writeJob(jobs, 'garbled', '{ "schedule": ', { raw: true });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--metrics', '0'] });
    const start = daemon.eventsOf('daemon.start')[0]!;
    const address = String(start.metrics);
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    const port = Number(address.split(':')[1]);
    expect(port).toBeGreaterThan(0);

    const ended = (job: string, status: string) => (e: LogEvent) => e.event === 'run.end' && e.job === job && e.status === status;
    await daemon.waitForEvent(ended('fine', 'ok'), { timeoutMs: 10_000 });
    await daemon.waitForEvent(ended('broken', 'failed'), { timeoutMs: 10_000 });
    await daemon.waitForEvent(ended('slow', 'timeout'), { timeoutMs: 15_000 });

    const health = await fetch(`http://${address}/healthz`);
    expect(health.status).toBe(200);
    expect((await health.text()).trim()).toBe('ok');

    const response = await fetch(`http://${address}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const samples = parsePrometheus(text);

    expect(find(samples, 'jobd_runs_total', { job: 'fine', status: 'ok' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'jobd_runs_total', { job: 'broken', status: 'failed' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'jobd_runs_total', { job: 'slow', status: 'timeout' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'jobd_timeouts_total', { job: 'slow' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'jobd_run_duration_seconds_bucket', { job: 'fine' }).length).toBeGreaterThan(0);
    expect(find(samples, 'jobd_run_duration_seconds_bucket', { job: 'fine', le: '+Inf' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'jobd_run_lateness_seconds_count')[0]?.value).toBeGreaterThanOrEqual(3);
    expect(find(samples, 'jobd_jobs', { state: 'scheduled' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'jobd_running_runs')).toHaveLength(1);
    expect(find(samples, 'jobd_running_runs')[0]!.value).toBeGreaterThanOrEqual(0);
    expect(find(samples, 'jobd_invalid_files')[0]?.value).toBeGreaterThanOrEqual(1);

    const lastSuccess = find(samples, 'jobd_last_success_timestamp_seconds', { job: 'fine' })[0]?.value ?? 0;
    expect(Math.abs(lastSuccess - Date.now() / 1000)).toBeLessThan(120);
    expect(find(samples, 'jobd_last_success_timestamp_seconds', { job: 'broken' })).toHaveLength(0);

    expect((await fetch(`http://${address}/nothing-here`)).status).toBe(404);
    expect((await daemon.stop()).code).toBe(0);
  }, 60_000);

  it('--metrics with a value that is not [host:]port is a usage error', async () => {
    const result = await runCli(
      ['start', '--metrics', 'lots', '--jobs-dir', tmp().jobsDir, '--state-file', tmp().path('jobs_state.json'), '--no-pretty'],
      { cwd: tmp().dir },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--metrics/);
    expect(result.stdout).not.toMatch(/daemon\.start/);
  });
});
