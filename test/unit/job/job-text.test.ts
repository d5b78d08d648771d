import { describe, expect, it } from 'vitest';
import { decodeJobBytes } from '../../../src/job/job-text.js';

const UTF16 = 'the file is encoded as UTF-16, which is not supported; save it as UTF-8';
const job = '{"command": "echo hi"}';

describe('decodeJobBytes', () => {
  it.each([
    ['UTF-16 LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(job, 'utf16le')])],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(job, 'utf16le').swap16()])],
    ['UTF-16 LE without a BOM', Buffer.from(job, 'utf16le')],
    ['UTF-16 BE without a BOM', Buffer.from(job, 'utf16le').swap16()],
  ])('issue 11.25: refuses %s, saying to save as UTF-8', (_label, bytes) => {
    expect(decodeJobBytes(bytes)).toEqual({ ok: false, message: UTF16 });
  });

  it.each([
    ['a Latin-1 é before a quote', [0x61, 0xe9, 0x22], 0xe9, 1, 2],
    ['a character cut short by an ASCII byte', [0x61, 0xe2, 0x82, 0x41], 0xe2, 1, 2],
    ['a stray continuation byte after é', [0x61, 0xc3, 0xa9, 0x80], 0x80, 1, 3],
    ['an encoded surrogate on line 2', [0x61, 0x0a, 0x62, 0xed, 0xa0, 0x80], 0xed, 2, 2],
    ['an overlong "/"', [0x20, 0xc0, 0xaf], 0xc0, 1, 2],
    ['a code point above U+10FFFF', [0x20, 0xf4, 0x90, 0x80, 0x80], 0xf4, 1, 2],
    ['a character cut short by the end of the file', [0x20, 0xe2, 0x82], 0xe2, 1, 2],
  ])('issue 11.25: refuses %s, naming the first byte of the broken character', (_label, bytes, byte, line, column) => {
    expect(decodeJobBytes(Buffer.from(bytes))).toEqual({
      ok: false,
      message: `the file is not valid UTF-8 (byte 0x${byte.toString(16)} at line ${line} column ${column}); save it as UTF-8`,
    });
  });

  it('issue 11.25: keeps a UTF-8 BOM and every valid character, for the parser', () => {
    const text = '\uFEFF{"command": "echo café 🚀"}';
    expect(decodeJobBytes(Buffer.from(text, 'utf8'))).toEqual({ ok: true, text });
  });
});
