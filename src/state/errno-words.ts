import { errorField, errorMessage } from '../format/error-message.js';
// A failed save is read by a person at 3 a.m.: "disk full (ENOSPC)" says what to do,
// "wrote 4096 of 81920 bytes" does not.
const WORDS: Record<string, string> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EBUSY: 'busy',
  EXDEV: 'not on the same file system',
};

/** An error as one line: the errno in words and its code (`disk full (ENOSPC)`), with the path it concerns unless told not to. */
export function errorInWords(error: unknown, { withPath = true }: { withPath?: boolean } = {}): string {
  const code = errorField(error, 'code');
  const path = errorField(error, 'path');
  const words = code === undefined ? undefined : WORDS[code];
  if (words !== undefined) return `${words} (${code})${path && withPath ? `: ${path}` : ''}`;
  return errorMessage(error);
}
