// A peer scheduler in its own process: `node peer.js <spec.json>`. It schedules the spec's jobs
// with plain timers (the raw baseline), croner or node-cron, and spawns the same stamp command
// jobd would, with the same JOBD_* variables. Prints "ready" once scheduled; stops on SIGTERM.
// `execa` is the raw baseline spawning through jobd's own spawnCommand (execa with jobd's
// options): the floor for any daemon built on execa, so jobd's own share of a burst shows.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Cron } from 'croner';
import cron from 'node-cron';
import { spawnCommand } from '../../dist/run/spawn-command.js';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const waiting = [];
let running = 0;
const stoppers = [];


/** Spawns the stamp command for one fire, or queues it when the concurrency limit is reached. */
function fire(jobId, scheduledMs) {
  if (spec.concurrency && running >= spec.concurrency) {
    waiting.push([jobId, scheduledMs]);
    return;
  }
  running += 1;
  const env = { ...process.env, JOBD_JOB_ID: jobId, JOBD_SCHEDULED_AT: new Date(scheduledMs).toISOString() };
  // Pipes like jobd's (it captures output), so the cost of a spawn is the same.
  const child =
    spec.lib === 'execa'
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

const schedulers = { timer: scheduleWithTimers, execa: scheduleWithTimers, croner: scheduleWithCroner, 'node-cron': scheduleWithNodeCron };
schedulers[spec.lib](spec.jobs);
process.on('SIGTERM', () => {
  for (const stop of stoppers) stop();
  process.exit(0);
});
process.stdout.write('ready\n');
