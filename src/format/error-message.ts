/**
 * What a thrown value says, as one string, for any value at all. Anything can be thrown
 * (by a sink, a hook of a library, a test): an object whose toString is not a function,
 * a null-prototype object, a Proxy whose every trap throws. Turning it into text must not
 * throw a second error from inside the code that was handling the first.
 */
export function errorMessage(error: unknown): string {
  try {
    if (error instanceof Error && typeof error.message === 'string') return error.message;
    return String(error);
  } catch {
    return unprintable(error);
  }
}

/** A string property of a thrown value (`code`, `path`), or undefined, whatever the value is. */
export function errorField(error: unknown, field: 'code' | 'path' | 'name'): string | undefined {
  if ((typeof error !== 'object' && typeof error !== 'function') || error === null) return undefined;
  try {
    const value = (error as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The thrown value itself when it is an Error, else an Error with its message; never throws. */
export function asError(error: unknown): Error {
  try {
    if (error instanceof Error) return error;
  } catch {
    // A Proxy whose getPrototypeOf trap throws is no Error of ours.
  }
  return new Error(errorMessage(error));
}

function unprintable(error: unknown): string {
  try {
    return `a thrown ${Object.prototype.toString.call(error).slice(8, -1).toLowerCase()} that cannot be printed`;
  } catch {
    return 'a thrown value that cannot be printed';
  }
}
