import { startLocal, type LocalCommand } from './local-spawner.js';
import { OUTPUT_HIGH_BYTES, OUTPUT_LOW_BYTES, type FromSpawner, type ToSpawner } from './spawner-protocol.js';

// The spawner: a small process that starts the daemon's commands through execa and reports
// on them, so the daemon's own thread spends no time in spawn(), whose cost grows with the
// size of the process that calls it. It holds no state of its own: the daemon decides.

// Ctrl-C and the other signals a terminal or a service manager sends to the whole group are the
// daemon's to act on, and the spawner ends when the daemon's channel closes.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const) process.on(signal, () => {});

const commands = new Map<number, LocalCommand>();
let unacked = 0;
let paused = false;

function send(message: FromSpawner): void {
  process.send?.(message);
}

function setPaused(next: boolean): void {
  if (paused === next) return;
  paused = next;
  for (const command of commands.values()) command.pauseOutput(paused);
}

async function start(id: number, input: Extract<ToSpawner, { t: 'start' }>['input']): Promise<void> {
  const started = await startLocal(input, {
    onStarted: (pid) => send({ t: 'started', id, pid }),
    onOutput: (stream, chunk) => {
      send({ t: 'output', id, stream: stream === 'stdout' ? 0 : 1, chunk });
      unacked += chunk.length;
      if (unacked > OUTPUT_HIGH_BYTES) setPaused(true);
    },
  });
  if (!started.ok) {
    send({ t: 'not-started', id, reason: started.reason });
    return;
  }
  const { command } = started;
  commands.set(id, command);
  if (paused) command.pauseOutput(true);
  const end = await command.ended;
  // An abandoned command was answered already, and the daemon has forgotten its id.
  if (commands.delete(id)) send({ t: 'ended', id, end });
}

async function abandon(id: number): Promise<void> {
  const command = commands.get(id);
  if (!command) return;
  commands.delete(id);
  send({ t: 'abandoned', id, exit: await command.abandon() });
}

process.on('message', (message: ToSpawner) => {
  if (message.t === 'start') void start(message.id, message.input);
  else if (message.t === 'abandon') void abandon(message.id);
  else {
    unacked = Math.max(0, unacked - message.bytes);
    if (unacked <= OUTPUT_LOW_BYTES) setPaused(false);
  }
});
// The commands keep running, as they would if the daemon itself had started them: its next
// start finds them by their marks and settles them.
process.on('disconnect', () => process.exit(0));
