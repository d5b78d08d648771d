// Reads a process's CPU time and memory from /proc (Linux only), and tracks children to kill.
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_S = 100; // getconf CLK_TCK on Linux x86-64 and arm64

/** utime + stime of `pid` in milliseconds (10 ms resolution). */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may contain spaces: utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
}

/** Resident set size of `pid` in MiB. */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

const children = new Set();

/** Remembers a child process so `killAll` can stop it if the bench fails or is interrupted. */
export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** SIGKILLs every tracked child still alive (and its group when it leads one). */
export function killAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Not a group leader (or already gone): fall back to the process itself.
      try {
        child.kill('SIGKILL');
      } catch {
        // Already gone: nothing left to stop.
      }
    }
  }
  children.clear();
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
