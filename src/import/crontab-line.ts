/** One line of a crontab, classified the way cron reads it. */
export type CrontabLine =
  | { kind: 'blank' }
  | { kind: 'comment'; text: string }
  | { kind: 'variable'; name: string; value: string }
  | { kind: 'entry'; when: string[]; user: string | null; command: string }
  | { kind: 'bad'; message: string };

// cron's `name = value`, either side optionally quoted; a job line never has `=` right after its first word.
const VARIABLE = /^\s*("[^"]*"|'[^']*'|[^\s=]+)\s*=\s*(.*?)\s*$/;

/** Classifies one crontab line; `system` files (/etc/crontab, /etc/cron.d) have a user column after the time. */
export function parseCrontabLine(line: string, system: boolean): CrontabLine {
  const trimmed = line.trim();
  if (trimmed === '') return { kind: 'blank' };
  if (trimmed.startsWith('#')) return { kind: 'comment', text: trimmed.replace(/^#+\s?/, '').trim() };
  const variable = VARIABLE.exec(line);
  if (variable) return { kind: 'variable', name: unquote(variable[1] ?? ''), value: unquote(variable[2] ?? '') };
  const timeWords = trimmed.startsWith('@') ? 1 : 5;
  const { words, rest } = takeWords(trimmed, timeWords + (system ? 1 : 0));
  if (words.length < timeWords + (system ? 1 : 0) || rest === '') {
    const user = system ? ', the user' : '';
    return { kind: 'bad', message: `expected 5 time fields (or an @macro)${user} and a command, got "${clip(trimmed)}"` };
  }
  return { kind: 'entry', when: words.slice(0, timeWords), user: system ? (words[timeWords] ?? null) : null, command: rest };
}

function takeWords(text: string, count: number): { words: string[]; rest: string } {
  const words: string[] = [];
  let rest = text;
  while (words.length < count) {
    const match = /^(\S+)\s*/.exec(rest);
    if (!match) break;
    words.push(match[1] ?? '');
    rest = rest.slice(match[0].length);
  }
  return { words, rest };
}

function unquote(text: string): string {
  const quoted = /^(["'])(.*)\1$/s.exec(text);
  return quoted ? (quoted[2] ?? '') : text;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
