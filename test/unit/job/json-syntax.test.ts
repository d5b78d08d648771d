import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../../../src/job/json-syntax.js';

const EOF_MESSAGE = 'unexpected end of file (the file may be incomplete)';

describe('parseJsonText', () => {
  it('parses valid JSON', () => {
    expect(parseJsonText('{"a": [1, 2.5e3, -0.5, true, false, null, "x\\n\\u00e9"]}')).toEqual({
      ok: true,
      value: { a: [1, 2500, -0.5, true, false, null, 'x\né'] },
    });
  });

  it('ignores a leading UTF-8 byte order mark', () => {
    expect(parseJsonText('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each([
    ['a trailing comma in an object, at the comma', '{\n  "a": 1,\n  "b": 2,\n}', 3, 9, 'trailing comma is not allowed'],
    ['a trailing comma in an array, at the comma', '{\n  "a": [1, 2,  ]\n}', 2, 13, 'trailing comma is not allowed'],
    ['a truncated file, at its end', '{\n  "a": 1,\n  "b": [1, 2', 3, 13, EOF_MESSAGE],
    ['a file cut inside a string', '{\n  "a": "hal', 2, 12, EOF_MESSAGE],
    ['a missing comma between fields', '{\n  "a": 1\n  "b": 2\n}', 3, 3, `unexpected '"' (expected "," or "}")`],
    ['a missing comma in an array', '[1 2]', 1, 4, 'unexpected "2" (expected "," or "]")'],
    ['a stray closing brace', '{\n  "a": }', 2, 8, 'unexpected "}"'],
    ['a property name without quotes', '{\n  command: "x"\n}', 2, 3, 'unexpected "command" (property names must be in double quotes)'],
    ['single quotes', "{'a': 1}", 1, 2, `unexpected "'" (strings use double quotes)`],
    ['a comment', '{\n  // nightly\n  "a": 1\n}', 2, 3, 'unexpected "/" (comments are not allowed in JSON)'],
    ['a missing colon', '{"a" 1}', 1, 6, 'unexpected "1" (expected ":" after the property name)'],
    ['an unknown word', '{"a": undefined}', 1, 7, 'unexpected "undefined"'],
    ['a leading zero', '{"a": 01}', 1, 8, 'unexpected "1" (not a valid number)'],
    ['a bare minus', '[-]', 1, 3, 'unexpected "]" (expected a digit after "-")'],
    ['a line break inside a string', '{"a": "one\ntwo"}', 1, 11, 'unexpected line break inside a string (missing closing quote?)'],
    ['a bad escape', '{"a": "C:\\dir"}', 1, 10, 'invalid escape "\\d" in a string'],
    ['text after the value', '{"a": 1}\n{"b": 2}', 2, 1, `unexpected "{" (the JSON value already ended)`],
    ['an empty text', '', 1, 1, EOF_MESSAGE],
    ['lines ending in CRLF', '{\r\n  "a": 1,\r\n}', 2, 9, 'trailing comma is not allowed'],
    ['a byte order mark before the error', '\uFEFF{"a": }', 1, 7, 'unexpected "}"'],
  ])('locates %s', (_name, text, line, column, message) => {
    expect(parseJsonText(text)).toEqual({ ok: false, line, column, message });
  });

  it('finds an error after deep nesting without running out of stack', () => {
    const text = `${'['.repeat(100_000)}1,${']'.repeat(100_000)}`;
    expect(parseJsonText(text)).toMatchObject({ ok: false, line: 1, column: 100_002, message: 'trailing comma is not allowed' });
  });
});
