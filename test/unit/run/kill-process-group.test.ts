import { afterEach, describe, expect, it } from 'vitest';
import { isProcessGroupAlive, killProcessGroup } from '../../../src/run/kill-process-group.js';
import { spawnCommand } from '../../../src/run/spawn-command.js';
import { isRunning, killPidQuietly, waitFor } from '../../helpers/process.js';
import { makeTempDir, readPidFile, type TempDir } from '../../helpers/temp-dir.js';
import { fixture } from './helpers.js';

let temp: TempDir | undefined;
afterEach(async () => {
  await temp?.cleanup();
  temp = undefined;
});

/** Starts spawn-grandchild.sh in its own group and returns the leader and grandchild PIDs. */
async function startFamily(mode = '') {
  temp = await makeTempDir('jobd-run-');
  const pidFile = temp.path('pids', 'grandchild');
  const args = mode ? [pidFile, mode] : [pidFile];
  const subprocess = spawnCommand({ command: { argv: [fixture('spawn-grandchild.sh')] }, args, cwd: temp.dir, env: {} });
  const leader = subprocess.pid!;
  const [grandchild] = await waitFor(async () => ((await readPidFile(pidFile)).length > 0 ? readPidFile(pidFile) : null));
  return { subprocess, leader, grandchild: grandchild! };
}

describe('killProcessGroup', () => {
  it('signals every process of the group, grandchildren included', async () => {
    const { subprocess, leader, grandchild } = await startFamily();
    expect(isProcessGroupAlive(leader)).toBe(true);
    expect(killProcessGroup(leader, 'SIGTERM')).toBe(true);
    const result = await subprocess;
    expect(result.signal).toBe('SIGTERM');
    await waitFor(() => !isRunning(grandchild), { what: `grandchild ${grandchild} to end` });
    await waitFor(() => !isProcessGroupAlive(leader), { what: 'the group to be gone' });
  });

  it('reports a group alive while a member ignores SIGTERM, and gone after SIGKILL', async () => {
    const { subprocess, leader, grandchild } = await startFamily('ignore-term');
    killProcessGroup(leader, 'SIGTERM');
    // The grandchild still holds the output pipe, so the leader's end is seen by its PID, not its result.
    await waitFor(() => !isRunning(leader), { what: 'the leader to end' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(isRunning(grandchild)).toBe(true);
    expect(isProcessGroupAlive(leader)).toBe(true);
    expect(killProcessGroup(leader, 'SIGKILL')).toBe(true);
    await waitFor(() => !isProcessGroupAlive(leader), { what: 'the group to be gone' });
    expect(isRunning(grandchild)).toBe(false);
    expect((await subprocess).signal).toBe('SIGTERM');
  });

  it('does not count a zombie as a living member of the group', async () => {
    // The background subshell exits at once and `exec sleep` never waits for it: it stays a zombie.
    const subprocess = spawnCommand({ command: { shell: 'true & exec sleep 60' }, args: [], cwd: process.cwd(), env: {} });
    const leader = subprocess.pid!;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(isProcessGroupAlive(leader)).toBe(true);
    process.kill(leader, 'SIGKILL');
    await subprocess;
    expect(isProcessGroupAlive(leader)).toBe(false);
  });

  it('returns false when nothing is there', async () => {
    const subprocess = spawnCommand({ command: { shell: 'exit 0' }, args: [], cwd: process.cwd(), env: {} });
    const pid = subprocess.pid!;
    await subprocess;
    expect(killProcessGroup(pid, 'SIGTERM')).toBe(false);
    expect(isProcessGroupAlive(pid)).toBe(false);
  });

  it('falls back to the PID of a process that leads no group', async () => {
    const { subprocess, leader, grandchild } = await startFamily();
    // The grandchild belongs to the leader's group, so its own PID names no group.
    expect(killProcessGroup(grandchild, 'SIGKILL')).toBe(true);
    await waitFor(() => !isRunning(grandchild), { what: 'grandchild to end' });
    killPidQuietly(leader);
    await subprocess;
  });
});
