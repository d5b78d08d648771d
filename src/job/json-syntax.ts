/** JSON text parsed, or the first syntax error with its 1-based line and column. */
export type JsonText = { ok: true; value: unknown } | { ok: false; line: number; column: number; message: string };

/** Parses JSON text (a leading UTF-8 BOM is ignored); on failure says where, because V8's messages often do not. */
export function parseJsonText(text: string): JsonText {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    const found = findSyntaxError(body) ?? { index: 0, message: (error as Error).message };
    return { ok: false, ...lineAndColumn(body, found.index), message: found.message };
  }
}

interface Found {
  index: number;
  message: string;
}

type State = 'value' | 'firstValue' | 'firstKey' | 'key' | 'colon' | 'next';

interface Scan {
  text: string;
  i: number;
  state: State;
  stack: Array<'{' | '['>;
  /** Where the last comma was, to blame it when a closing bracket follows. */
  comma: number;
}

const EOF = 'unexpected end of file (the file may be incomplete)';

/** Walks the text as JSON and returns the first offending character, or null when the text is valid. */
function findSyntaxError(text: string): Found | null {
  const scan: Scan = { text, i: 0, state: 'value', stack: [], comma: -1 };
  for (;;) {
    scan.i = skipSpace(text, scan.i);
    if (scan.i >= text.length) return scan.state === 'next' && scan.stack.length === 0 ? null : { index: text.length, message: EOF };
    const found = step(scan);
    if (found) return found;
  }
}

function step(scan: Scan): Found | null {
  const char = scan.text[scan.i];
  switch (scan.state) {
    case 'firstValue':
      return char === ']' ? close(scan) : value(scan);
    case 'value':
      return char === ']' && scan.comma >= 0 ? trailingComma(scan) : value(scan);
    case 'firstKey':
      return char === '}' ? close(scan) : key(scan);
    case 'key':
      return char === '}' ? trailingComma(scan) : key(scan);
    case 'colon':
      if (char !== ':') return unexpected(scan, 'expected ":" after the property name');
      scan.i += 1;
      scan.state = 'value';
      return null;
    case 'next':
      return next(scan);
  }
}

function value(scan: Scan): Found | null {
  const { text, i } = scan;
  const char = text[i] ?? '';
  scan.comma = -1;
  if (char === '{' || char === '[') {
    scan.stack.push(char);
    scan.state = char === '{' ? 'firstKey' : 'firstValue';
    scan.i += 1;
    return null;
  }
  scan.state = 'next';
  if (char === '"') return string(scan);
  if (char === '-' || isDigit(char)) return number(scan);
  const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
  if (literal === undefined) return unexpected(scan, '');
  scan.i += literal.length;
  return null;
}

function key(scan: Scan): Found | null {
  scan.comma = -1;
  if (scan.text[scan.i] !== '"') return unexpected(scan, 'property names must be in double quotes');
  scan.state = 'colon';
  return string(scan);
}

function next(scan: Scan): Found | null {
  const top = scan.stack.at(-1);
  if (top === undefined) return unexpected(scan, 'the JSON value already ended');
  const char = scan.text[scan.i];
  if (char === ',') {
    scan.comma = scan.i;
    scan.state = top === '{' ? 'key' : 'value';
    scan.i += 1;
    return null;
  }
  if (char === (top === '{' ? '}' : ']')) return close(scan);
  return unexpected(scan, top === '{' ? 'expected "," or "}"' : 'expected "," or "]"');
}

function close(scan: Scan): null {
  scan.stack.pop();
  scan.state = 'next';
  scan.i += 1;
  return null;
}

function trailingComma(scan: Scan): Found {
  return { index: scan.comma, message: 'trailing comma is not allowed' };
}

function string(scan: Scan): Found | null {
  const { text } = scan;
  for (let i = scan.i + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      scan.i = i + 1;
      return null;
    }
    if (code === 0x0a) return { index: i, message: 'unexpected line break inside a string (missing closing quote?)' };
    if (code < 0x20) return { index: i, message: 'unexpected control character inside a string' };
    if (code === 0x5c) {
      const escape = /^(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})/.exec(text.slice(i + 1, i + 6));
      if (!escape) return i + 1 >= text.length ? { index: text.length, message: EOF } : { index: i, message: `invalid escape "\\${text[i + 1]}" in a string` };
      i += escape[0].length;
    }
  }
  return { index: text.length, message: EOF };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function number(scan: Scan): Found | null {
  NUMBER.lastIndex = scan.i;
  const match = NUMBER.exec(scan.text);
  if (!match) {
    scan.i += 1;
    return unexpected(scan, 'expected a digit after "-"');
  }
  scan.i += match[0].length;
  return /[\d.eE]/.test(scan.text[scan.i] ?? '') ? unexpected(scan, 'not a valid number') : null;
}

function unexpected(scan: Scan, hint: string): Found {
  const { text, i } = scan;
  if (i >= text.length) return { index: text.length, message: EOF };
  const char = text[i];
  const why = char === '/' ? 'comments are not allowed in JSON' : char === "'" ? 'strings use double quotes' : hint;
  return { index: i, message: why ? `unexpected ${describeAt(text, i)} (${why})` : `unexpected ${describeAt(text, i)}` };
}

function describeAt(text: string, index: number): string {
  const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(index, index + 40))?.[0];
  if (word) return `"${word}"`;
  const char = String.fromCodePoint(text.codePointAt(index) ?? 0);
  return char === '"' ? `'"'` : JSON.stringify(char);
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++;
  return i;
}

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}

function lineAndColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: index - lastBreak };
}
