import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ImportNote, ImportResult } from '../types.js';
import { translateCrontab } from '../import/crontab.js';
import { serviceNameOf, translateTimer, type UnitText } from '../import/systemd.js';

/** A crontab or unit file larger than this is not read: real ones are a few kilobytes. */
export const MAX_SOURCE_BYTES = 1024 * 1024;
/** At most this many files are read from one directory. */
export const MAX_DIRECTORY_FILES = 1000;

type Read = { ok: true; text: string } | { ok: false; message: string };

// cron ignores files in /etc/cron.d whose names hold anything but letters, digits, "_" and "-".
const CRON_D_NAME = /^[A-Za-z0-9_-]+$/;

/** Translates every crontab named: files, `-` (stdin) and directories read like /etc/cron.d. */
export async function importCrontabs(input: { paths: string[]; system: boolean; currentUser: string }): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for (const path of input.paths) {
    const info = path === '-' ? null : await stat(path).catch(() => undefined);
    if (info === undefined) results.push(noteOnly(path, 'cannot read: no such file or directory'));
    else if (info?.isDirectory()) {
      const { files, notes } = await directoryFiles(path, (name) => CRON_D_NAME.test(name), 'cron ignores files whose names hold characters other than letters, digits, "_" and "-"');
      results.push({ jobs: [], notes });
      for (const file of files) results.push(await crontabOf({ file, system: true, idBase: basename(file), currentUser: input.currentUser }));
    } else {
      const system = input.system || resolve(path) === '/etc/crontab' || dirname(resolve(path)) === '/etc/cron.d';
      const idBase = dirname(resolve(path)) === '/etc/cron.d' ? basename(path) : undefined;
      results.push(await crontabOf({ file: path, system, currentUser: input.currentUser, ...(idBase ? { idBase } : {}) }));
    }
  }
  return results;
}

async function crontabOf(input: { file: string; system: boolean; currentUser: string; idBase?: string }): Promise<ImportResult> {
  const read = input.file === '-' ? await readStdin() : await readBounded(input.file);
  if (!read.ok) return noteOnly(input.file, read.message);
  return translateCrontab({ text: read.text, source: input.file, system: input.system, currentUser: input.currentUser, ...(input.idBase ? { idBase: input.idBase } : {}) });
}

/** Translates every .timer named (directories: each .timer in them), each with the service it starts. */
export async function importTimers(paths: string[]): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  const timers: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (info === null) results.push(noteOnly(path, 'cannot read: no such file or directory'));
    else if (info.isDirectory()) {
      const { files, notes } = await directoryFiles(path, (name) => name.endsWith('.timer'), null);
      results.push({ jobs: [], notes });
      timers.push(...files);
    } else if (path.endsWith('.timer')) timers.push(path);
    else if (!paths.some((other) => other.endsWith('.timer'))) results.push(noteOnly(path, 'not imported: only a .timer says when its service runs; give the .timer'));
  }
  for (const file of timers) results.push(await timerOf(file, paths));
  return results;
}

async function timerOf(file: string, given: string[]): Promise<ImportResult> {
  const read = await readBounded(file);
  if (!read.ok) return noteOnly(file, read.message);
  const timer: UnitText = { name: basename(file), source: file, text: read.text };
  const serviceName = serviceNameOf(timer);
  const servicePath = given.find((path) => basename(path) === serviceName) ?? join(dirname(file), basename(serviceName));
  const service = await readBounded(servicePath);
  if (!service.ok && !/no such file/.test(service.message)) return noteOnly(servicePath, service.message);
  return translateTimer({ timer, service: service.ok ? { name: serviceName, source: servicePath, text: service.text } : null });
}

async function directoryFiles(dir: string, wanted: (name: string) => boolean, ignoredWhy: string | null): Promise<{ files: string[]; notes: ImportNote[] }> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => null);
  if (entries === null) return { files: [], notes: [{ source: dir, line: 0, message: 'cannot read the directory' }] };
  const notes: ImportNote[] = [];
  const names = entries.filter((entry) => entry.isFile() && !entry.name.startsWith('.')).map((entry) => entry.name).sort();
  const files: string[] = [];
  for (const name of names) {
    if (wanted(name)) files.push(join(dir, name));
    else if (ignoredWhy !== null) notes.push({ source: join(dir, name), line: 0, message: `not imported: ${ignoredWhy}` });
  }
  if (files.length > MAX_DIRECTORY_FILES) {
    notes.push({ source: dir, line: 0, message: `only the first ${MAX_DIRECTORY_FILES} of ${files.length} files were read` });
  }
  return { files: files.slice(0, MAX_DIRECTORY_FILES), notes };
}

// Read through one descriptor, never more than the bound: a FIFO or a huge file cannot hold the import.
async function readBounded(file: string): Promise<Read> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => error);
  if (handle instanceof Error) return { ok: false, message: `cannot read: ${handle.code === 'ENOENT' ? 'no such file' : handle.message}` };
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, message: 'cannot read: not a regular file' };
    if (info.size > MAX_SOURCE_BYTES) return tooLarge();
    const buffer = Buffer.alloc(MAX_SOURCE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return bytesRead > MAX_SOURCE_BYTES ? tooLarge() : { ok: true, text: buffer.subarray(0, bytesRead).toString('utf8') };
  } finally {
    await handle.close();
  }
}

async function readStdin(): Promise<Read> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_SOURCE_BYTES) {
      process.stdin.destroy();
      return tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

function tooLarge(): Read {
  return { ok: false, message: `cannot read: larger than ${MAX_SOURCE_BYTES} bytes (1 MiB)` };
}

function noteOnly(source: string, message: string): ImportResult {
  return { jobs: [], notes: [{ source, line: 0, message }] };
}
