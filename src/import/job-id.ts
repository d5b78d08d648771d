import type { ImportedJob } from '../types.js';

// Room for a "-NNNN" suffix within the 64 characters an id may have.
const BASE_MAX = 58;

// Words that start a command without saying what it does: the id comes from the next part.
const NOT_A_NAME = new Set(['test', '[', '[[', 'cd', 'true', ':', 'if', 'then', 'else', 'fi', 'exec', 'sudo', 'nice', 'ionice', 'nohup', 'env', 'command', 'time']);

/** A valid job id from any text: letters, digits, `_`, `.` and `-` kept, the rest turned into `-`. */
export function sanitizeId(text: string): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, BASE_MAX)
    .replace(/[^A-Za-z0-9]+$/, '');
  return cleaned === '' ? 'job' : cleaned;
}

/** An id named after the program a shell command runs: `/usr/bin/backup --all` → `backup`. */
export function idFromCommand(command: string): string {
  for (const part of command.slice(0, 4096).split(/&&|\|\||[;|&()]/)) {
    const words = part.trim().split(/\s+/).filter((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word));
    const program = words.find((word) => word !== '' && !word.startsWith('-'));
    if (program === undefined || NOT_A_NAME.has(program)) continue;
    const name = program.replace(/^["']|["']$/g, '').split('/').filter(Boolean).pop() ?? '';
    if (/[A-Za-z0-9]/.test(name)) return sanitizeId(name);
  }
  return 'job';
}

/** The jobs with ids made unique in order: the first keeps its id, the next get `-2`, `-3`, … */
export function withUniqueIds(jobs: ImportedJob[], taken: ReadonlySet<string> = new Set()): ImportedJob[] {
  const used = new Set(taken);
  return jobs.map((job) => {
    let id = job.id;
    for (let n = 2; used.has(id); n += 1) id = `${job.id}-${n}`;
    used.add(id);
    return id === job.id ? job : { ...job, id, content: { ...job.content, id } };
  });
}
