/** One `Key=value` of a unit file, with the line it starts on. */
export interface UnitSetting {
  section: string;
  key: string;
  value: string;
  line: number;
}

/** Reads a unit file (systemd.syntax(7)): sections, `Key=value`, `#`/`;` comments, `\` continuations. */
export function parseUnitFile(text: string): UnitSetting[] {
  const settings: UnitSetting[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let section = '';
  for (let index = 0; index < lines.length; index += 1) {
    const start = index + 1;
    let line = (lines[index] ?? '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    while (line.endsWith('\\') && index + 1 < lines.length) {
      index += 1;
      const next = (lines[index] ?? '').trim();
      // Comment lines inside a continuation are dropped, as systemd does.
      line = next.startsWith('#') || next.startsWith(';') ? line : `${line.slice(0, -1)} ${next}`;
    }
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1] ?? '';
      continue;
    }
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    settings.push({ section, key: line.slice(0, equals).trim(), value: line.slice(equals + 1).trim(), line: start });
  }
  return settings;
}

/** The values of `key` in `section`, in order; an empty assignment clears the ones before it, as in systemd. */
export function settingsOf(settings: UnitSetting[], section: string, key: string): UnitSetting[] {
  const found: UnitSetting[] = [];
  for (const setting of settings) {
    if (setting.section !== section || setting.key !== key) continue;
    if (setting.value === '') found.length = 0;
    else found.push(setting);
  }
  return found;
}

/** The last value of `key` in `section`, or null. */
export function lastSetting(settings: UnitSetting[], section: string, key: string): UnitSetting | null {
  return settingsOf(settings, section, key).at(-1) ?? null;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", ' ': ' ', s: ' ' };

/** Splits a value into words with systemd's quoting: "…" and '…' group, backslash escapes; null when a quote is open. */
export function unitWords(value: string): string[] | null {
  const words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index] ?? '';
    if (char === '\\' && index + 1 < value.length) {
      index += 1;
      const next = value[index] ?? '';
      word = (word ?? '') + (ESCAPES[next] ?? `\\${next}`);
    } else if (quote !== null) {
      if (char === quote) quote = null;
      else word = (word ?? '') + char;
    } else if (char === '"' || char === "'") {
      quote = char;
      word = word ?? '';
    } else if (/\s/.test(char)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote !== null) return null;
  if (word !== null) words.push(word);
  return words;
}
