import type { Command } from 'commander';
import { callDaemon, pipeDaemon, type DaemonReply } from '../control/client.js';
import { locationOptions, socketPath, type LocationOptions } from './options.js';

/** Adds `--socket` / `--state-file` (how a client finds the daemon) to a command. */
export function withLocation(command: Command): Command {
  for (const option of locationOptions()) command.addOption(option);
  return command;
}

/** Calls the daemon; prints the one-line reason and returns null when it failed or answered an error. */
export async function ask(options: LocationOptions, method: 'GET' | 'POST', path: string): Promise<unknown | null> {
  return answered(await callDaemon(socketPath(options, process.cwd()), method, path));
}

/** Writes the daemon's answer to GET `path` to stdout as it arrives; false (the reason printed) when it failed. */
export async function askThrough(options: LocationOptions, path: string): Promise<boolean> {
  const reply = await pipeDaemon(socketPath(options, process.cwd()), path, process.stdout);
  if (reply.ok && reply.status < 400) return true;
  answered(reply);
  return false;
}

function answered(reply: DaemonReply): unknown | null {
  if (!reply.ok) {
    process.stderr.write(`jobd: ${reply.message}\n`);
    return null;
  }
  if (reply.status >= 400) {
    const error = (reply.body as { error?: string } | null)?.error ?? `status ${reply.status}`;
    process.stderr.write(`jobd: ${error}\n`);
    return null;
  }
  return reply.body;
}
