// The spawner of the `spawner` scenario: a small child that receives run requests over its IPC
// channel and starts them through jobd's own spawnCommand, so the big parent's main thread does
// no spawn() at all. Reports each start and exit back; keeps the concurrency limit itself.
import { spawnCommand } from '../../dist/run/spawn-command.js';

const wallMs = () => performance.timeOrigin + performance.now();
const waiting = [];
let running = 0;
let limit = Infinity;

function start(request) {
  if (running >= limit) {
    waiting.push(request);
    return;
  }
  running += 1;
  const child = spawnCommand({ command: { shell: request.command }, args: [], cwd: process.cwd(), env: { JOBD_JOB_ID: request.id, JOBD_SCHEDULED_AT: request.scheduledAt } });
  child.stdout.resume();
  child.stderr.resume();
  process.send({ t: 'start', id: request.id, sentMs: request.sentMs, receivedMs: request.receivedMs, spawnedMs: wallMs() });
  child.once('close', () => {
    running -= 1;
    process.send({ t: 'exit', id: request.id });
    const next = waiting.shift();
    if (next) start(next);
  });
}

process.on('message', (message) => {
  if (message.t === 'limit') limit = message.limit ?? Infinity;
  else start({ ...message, receivedMs: wallMs() });
});
// The parent going away ends the spawner too: it must never outlive the bench.
process.on('disconnect', () => process.exit(0));
