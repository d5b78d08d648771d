import { describe, expect, it } from 'vitest';
import { errorInWords } from '../../../src/state/errno-words.js';

const errno = (code: string, path?: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: raw`), { code, path });

describe('errorInWords', () => {
  it.each([
    ['ENOSPC', 'disk full (ENOSPC)'],
    ['EDQUOT', 'disk quota exceeded (EDQUOT)'],
    ['EACCES', 'permission denied (EACCES)'],
    ['EROFS', 'read-only file system (EROFS)'],
  ])('issue 11.25: names %s in words', (code, words) => {
    expect(errorInWords(errno(code))).toBe(words);
  });

  it('adds the path the error concerns', () => {
    expect(errorInWords(errno('ENOSPC', '/var/lib/jobd/.jobs_state.json.1.a.tmp'))).toBe('disk full (ENOSPC): /var/lib/jobd/.jobs_state.json.1.a.tmp');
  });

  it('keeps the message of other errors', () => {
    expect(errorInWords(new RangeError('Invalid string length'))).toBe('Invalid string length');
    expect(errorInWords('plain')).toBe('plain');
  });
});
