import { lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';

/** How much a job file's place on disk is trusted (SPEC: like cron, jobd runs what the files say). */
export interface TrustRules {
  /** Accept files and directories writable by group or others, or owned by another user. */
  insecurePermissions: boolean;
  /** Accept symlinks that point outside the directory they are in (the jobs directory). */
  followSymlinks: boolean;
}

/**
 * What `untrustedReason` checks: a job file, the jobs directory, or the
 * directory of the control socket (where a sticky bit is enough, because
 * then nobody else can remove or replace the socket).
 */
export type TrustedPlace = 'file' | 'directory' | 'socket directory';

/**
 * Why a job file, the jobs directory or the socket's directory must not be
 * trusted, or null. Synchronous like the job file reads it guards (see
 * load-job-file.ts): two system calls on a local inode.
 */
export function untrustedReason(path: string, rules: TrustRules, kind: TrustedPlace = 'file'): string | null {
  try {
    const link = lstatSync(path);
    if (kind === 'file' && link.isSymbolicLink() && !rules.followSymlinks) {
      const target = realpathSync(path);
      const inside = relative(realpathSync(dirname(path)), target);
      if (inside === '..' || inside.startsWith(`..${sep}`) || inside.startsWith(sep)) {
        return `the ${kind} is a symlink to ${target}, outside the jobs directory; start jobd with --follow-symlinks to allow it`;
      }
    }
    if (rules.insecurePermissions) return null;
    return permissionReason(link.isSymbolicLink() ? statSync(path) : link, kind);
  } catch (error) {
    return `cannot check the ${kind}: ${(error as Error).message}`;
  }
}

function permissionReason(stats: { mode: number; uid: number }, kind: TrustedPlace): string | null {
  const me = process.getuid?.() ?? 0;
  const fix = 'or start jobd with --insecure-permissions';
  if (stats.uid !== me && stats.uid !== 0) {
    return `the ${kind} is owned by uid ${stats.uid}, not by jobd's user (uid ${me}) or root; chown it, ${fix}`;
  }
  const writable = [stats.mode & 0o020 ? 'group' : '', stats.mode & 0o002 ? 'others' : ''].filter(Boolean);
  if (writable.length === 0 || (kind === 'socket directory' && stats.mode & 0o1000)) return null;
  const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
  return `the ${kind} is writable by ${writable.join(' and ')} (mode ${mode}); run chmod go-w on it, ${fix}`;
}
