// A peer scheduler in its own process: `node peer.js <spec.json>`. It schedules the spec's jobs
// with plain timers (the raw baseline), croner or node-cron, and spawns the same stamp command
// jobd would, with the same JOBD_* variables. Prints "ready" once scheduled; stops on SIGTERM.
// `execa` is the raw baseline spawning through jobd's own spawnCommand (execa with jobd's
// options): the floor for any daemon built on execa, so jobd's own share of a burst shows.
// `execa-big` is the same in a process holding ~150 MB of live heap (a daemon with 10,000 jobs);
// `execa-spawner` is that big process handing each fire to spawner-child.js over IPC.
import { fork, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Cron } from 'croner';
import cron from 'node-cron';
import { spawnCommand } from '../../dist/run/spawn-command.js';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const waiting = [];
let running = 0;
const stoppers = [];

const wallMs = () => performance.timeOrigin + performance.now();
const big = spec.lib === 'execa-big' || spec.lib === 'execa-spawner';
// Many small live objects, as a daemon's jobs, records and watcher entries are: V8 and the kernel
// see a heap of this size, which is what makes spawn() slower in a big process.
const ballast = big ? Array.from({ length: 1_400_000 }, (_, i) => ({ id: `job-${i}`, n: i, next: null })) : [];
const spawner = spec.lib === 'execa-spawner' ? startSpawner() : null;
const hop = { sends: 0, sendMs: 0, hopMs: [], replyMs: [] };

function startSpawner() {
  const child = fork(new URL('./spawner-child.js', import.meta.url), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  child.send({ t: 'limit', limit: spec.concurrency ?? null });
  child.on('message', (message) => {
    if (message.t !== 'start') return;
    hop.hopMs.push(message.receivedMs - message.sentMs);
    hop.replyMs.push(wallMs() - message.sentMs);
  });
  return child;
}

/** Hands one fire to the spawner child; the time the send itself takes is the main thread's cost. */
function fireThroughSpawner(jobId, scheduledMs) {
  const t0 = performance.now();
  spawner.send({ id: jobId, scheduledAt: new Date(scheduledMs).toISOString(), command: spec.command, sentMs: performance.timeOrigin + t0 });
  hop.sendMs += performance.now() - t0;
  hop.sends += 1;
}

/** Spawns the stamp command for one fire, or queues it when the concurrency limit is reached. */
function fire(jobId, scheduledMs) {
  if (spawner) return fireThroughSpawner(jobId, scheduledMs);
  if (spec.concurrency && running >= spec.concurrency) {
    waiting.push([jobId, scheduledMs]);
    return;
  }
  running += 1;
  const env = { ...process.env, JOBD_JOB_ID: jobId, JOBD_SCHEDULED_AT: new Date(scheduledMs).toISOString() };
  // Pipes like jobd's (it captures output), so the cost of a spawn is the same.
  const child =
    spec.lib === 'execa' || spec.lib === 'execa-big'
      ? spawnCommand({ command: { shell: spec.command }, args: [], cwd: process.cwd(), env: { JOBD_JOB_ID: jobId, JOBD_SCHEDULED_AT: env.JOBD_SCHEDULED_AT } })
      : spawn('/bin/sh', ['-c', spec.command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.resume();
  child.stderr.resume();
  child.once('close', () => {
    running -= 1;
    const next = waiting.shift();
    if (next) fire(...next);
  });
}

/** Raw baseline: one timer per distinct period (a burst is one timer), one per one-shot instant. */
function scheduleWithTimers(jobs) {
  const byPeriod = new Map();
  for (const job of jobs) {
    if (job.at !== undefined) stoppers.push(clearTimeout.bind(null, setTimeout(() => fire(job.id, job.at), job.at - Date.now())));
    else byPeriod.set(job.periodMs, [...(byPeriod.get(job.periodMs) ?? []), job.id]);
  }
  for (const [periodMs, ids] of byPeriod) {
    let timer;
    const arm = () => {
      const at = Math.floor(Date.now() / periodMs) * periodMs + periodMs;
      timer = setTimeout(() => {
        for (const id of ids) fire(id, at);
        arm();
      }, at - Date.now());
    };
    arm();
    stoppers.push(() => clearTimeout(timer));
  }
}

/** croner: one Cron per job; the due instant is the nextRun() seen before each trigger. */
function scheduleWithCroner(jobs) {
  for (const job of jobs) {
    let pending = job.at !== undefined ? job.at : null;
    const pattern = job.at !== undefined ? new Date(job.at) : job.cron;
    const task = new Cron(pattern, (self) => {
      fire(job.id, pending);
      pending = self.nextRun()?.getTime() ?? null;
    });
    pending ??= task.nextRun().getTime();
    stoppers.push(() => task.stop());
  }
}

/** node-cron: one task per job; node-cron hands the due instant to the callback. */
function scheduleWithNodeCron(jobs) {
  for (const job of jobs) {
    if (job.at !== undefined) throw new Error('node-cron has no one-shot instants');
    const task = cron.schedule(job.cron, (ctx) => fire(job.id, ctx.date.getTime()));
    stoppers.push(() => task.stop());
  }
}

const schedulers = { timer: scheduleWithTimers, execa: scheduleWithTimers, 'execa-big': scheduleWithTimers, 'execa-spawner': scheduleWithTimers, croner: scheduleWithCroner, 'node-cron': scheduleWithNodeCron };
schedulers[spec.lib](spec.jobs);
process.on('SIGTERM', () => {
  for (const stop of stoppers) stop();
  spawner?.kill('SIGTERM');
  process.exit(0);
});
// On exit, not on SIGTERM: a peer whose one-shot fires are all done ends by itself before it.
process.on('exit', () => {
  if (spec.statsFile) writeFileSync(spec.statsFile, JSON.stringify({ rssMB: process.memoryUsage().rss / 2 ** 20, heapMB: process.memoryUsage().heapUsed / 2 ** 20, live: ballast.length, ...hop }));
});
process.stdout.write('ready\n');
