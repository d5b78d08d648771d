import { readdirSync, readFileSync } from 'node:fs';

/** Sends `signal` to the group led by `pid` (to the PID alone if it leads none); false if nothing was there. Throws on EPERM. */
export function killProcessGroup(pid: number, signal: NodeJS.Signals): boolean {
  return sendSignal(-pid, signal) || sendSignal(pid, signal);
}

/**
 * Whether any process of the group led by `pid` is still running; zombies do not count.
 * Pass the same `members` set on every call while watching one group: it remembers the PIDs seen,
 * so most checks read a few /proc files instead of all of them.
 */
export function isProcessGroupAlive(pid: number, members: Set<number> = new Set()): boolean {
  if (!sendSignal(-pid, 0)) return false;
  // Killed orphans stay zombies until their new parent reaps them, and a PID 1 that never reaps
  // (a bare container) would make signal 0 alone report a dead group as alive forever.
  if (anyMemberRunning(pid, members)) return true;
  // The remembered members are gone, but one may have forked a new member before it went.
  const running = runningMembers(pid);
  if (running === null) return true;
  for (const member of running) members.add(member);
  return running.length > 0;
}

function sendSignal(target: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    // EPERM to signal 0 still proves that something is there; to a real signal it is a failure to report.
    if (code === 'EPERM' && signal === 0) return true;
    throw error;
  }
}

/** Whether a remembered member still runs in the group; forgets those that do not. */
function anyMemberRunning(pgid: number, members: Set<number>): boolean {
  for (const member of members) {
    if (isRunningIn(pgid, readStat(String(member)))) return true;
    members.delete(member);
  }
  return false;
}

/** PIDs of the group's running members, or null where there is no /proc to look in. */
function runningMembers(pgid: number): number[] | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    // Not Linux: signal 0 is the only answer available, and it said the group is there.
    return null;
  }
  return entries.filter((entry) => /^\d+$/.test(entry) && isRunningIn(pgid, readStat(entry))).map(Number);
}

/** Whether a /proc/<pid>/stat line describes a live (not zombie) process of group `pgid`. */
function isRunningIn(pgid: number, stat: string | null): boolean {
  if (stat === null) return false;
  // Fields after the command name, which may itself contain spaces and parentheses: state, ppid, pgrp.
  const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3);
  return Number(group) === pgid && state !== 'Z' && state !== 'X';
}

function readStat(pid: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // The process ended between being listed and being read: it is no member any more.
    return null;
  }
}

/** The process group of a live process, or null when it is gone, a zombie, or there is no /proc. */
export function processGroupOf(pid: number): number | null {
  const stat = readStat(String(pid));
  if (stat === null) return null;
  const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3);
  return state === 'Z' || state === 'X' ? null : Number(group);
}
