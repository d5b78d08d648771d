import { shellQuote } from './cron-command.js';
import { unitWords, type UnitSetting } from './systemd-unit.js';

/** A note about one line of a unit. */
export interface LineNote {
  line: number;
  message: string;
}

export type ExecTranslation =
  | { ok: true; command: string | string[]; notes: LineNote[] }
  | { ok: false; line: number; message: string };

interface ExecLine {
  words: string[];
  ignoreFailure: boolean;
  substitute: boolean;
}

/**
 * ExecStartPre=, ExecStart= and ExecStartPost= lines as one jobd command: argv when a
 * single line needs no shell, else a shell text that runs them in order and stops at
 * the first failure, as systemd does (a `-` line's failure is ignored).
 */
export function execCommand(input: { lines: UnitSetting[]; unitName: string }): ExecTranslation {
  const notes: LineNote[] = [];
  const lines: ExecLine[] = [];
  for (const setting of input.lines) {
    const parsed = execLine(setting, input.unitName);
    if (!parsed.ok) return { ok: false, line: setting.line, message: parsed.message };
    lines.push(parsed.exec);
    if (parsed.note) notes.push({ line: setting.line, message: parsed.note });
  }
  const [only] = lines;
  if (lines.length === 1 && only && !only.ignoreFailure && !(only.substitute && only.words.some((word) => word.includes('$')))) {
    return { ok: true, command: only.words, notes };
  }
  const texts = lines.map((line) => {
    const text = line.words.map((word) => shellWord(word, line.substitute)).join(' ');
    return line.ignoreFailure ? `{ ${text} || true; }` : text;
  });
  return { ok: true, command: texts.join(' && '), notes };
}

type ParsedLine = { ok: true; exec: ExecLine; note?: string } | { ok: false; message: string };

function execLine(setting: UnitSetting, unitName: string): ParsedLine {
  const prefix = /^[-@+!:|]*/.exec(setting.value)?.[0] ?? '';
  if (prefix.includes('|')) return { ok: false, message: `${setting.key}: "|" (run through the login shell) not translated` };
  const words = unitWords(setting.value.slice(prefix.length));
  if (words === null) return { ok: false, message: `${setting.key}: a quote is not closed` };
  if (words.includes(';')) return { ok: false, message: `${setting.key}: several commands on one line (";") not translated; give one per line` };
  const expanded: string[] = [];
  for (const word of words) {
    const result = expandSpecifiers(word, unitName);
    if (result === null) return { ok: false, message: `${setting.key}: "${word}": unit specifiers other than %n, %N, %p and %% not translated` };
    expanded.push(result);
  }
  let note: string | undefined;
  if (prefix.includes('@') && expanded.length > 1) {
    note = `${setting.key}: "@" sets argv[0] to "${expanded[1]}"; jobd runs the program under its own name`;
    expanded.splice(1, 1);
  }
  if (expanded.length === 0) return { ok: false, message: `${setting.key}: no command` };
  const exec = { words: expanded, ignoreFailure: prefix.includes('-'), substitute: !prefix.includes(':') };
  return note === undefined ? { ok: true, exec } : { ok: true, exec, note };
}

// systemd.unit(5) specifiers; the ones that depend on the host or the manager are not guessed.
function expandSpecifiers(word: string, unitName: string): string | null {
  const name = unitName.replace(/\.[a-z]+$/, '');
  const values: Record<string, string> = { '%': '%', n: unitName, N: name, p: name.split('@')[0] ?? name };
  let unknown = false;
  const expanded = word.replace(/%(.)/g, (_match, letter: string) => {
    const value = values[letter];
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  return unknown ? null : expanded;
}

// systemd puts `${NAME}` (anywhere) in as one word and splits a lone `$NAME` at spaces; `$$` is a `$`.
function shellWord(word: string, substitute: boolean): string {
  if (!substitute || !word.includes('$')) return shellQuote(word);
  if (/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(word)) return word;
  const parts = word.split(/(\$\$|\$\{[A-Za-z_][A-Za-z0-9_]*\})/).filter((part) => part !== '');
  return parts.map((part) => (part === '$$' ? shellQuote('$') : part.startsWith('${') ? `"${part}"` : shellQuote(part))).join('');
}

/** Environment= lines as variables: quoted assignments, several per line; what is not `NAME=value` is a note. */
export function environmentOf(settings: UnitSetting[]): { env: Record<string, string>; notes: LineNote[] } {
  const env: Record<string, string> = {};
  const notes: LineNote[] = [];
  for (const setting of settings) {
    const words = unitWords(setting.value);
    if (words === null) {
      notes.push({ line: setting.line, message: 'Environment: a quote is not closed; line not translated' });
      continue;
    }
    for (const word of words) {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word);
      if (match) env[match[1]!] = match[2]!;
      else notes.push({ line: setting.line, message: `Environment: "${word}" is not NAME=value; not translated` });
    }
  }
  return { env, notes };
}
