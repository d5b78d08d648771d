import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asError, errorField, errorMessage } from '../../../src/format/error-message.js';

const everyTrapThrows = new Proxy({}, {
  get() { throw new Error('get trap'); },
  getPrototypeOf() { throw new Error('getPrototypeOf trap'); },
  has() { throw new Error('has trap'); },
});

describe('errorMessage', () => {
  it('is an Error\'s message, and String() of anything printable', () => {
    expect(errorMessage(new Error('disk full'))).toBe('disk full');
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(Symbol('s'))).toBe('Symbol(s)');
  });

  it('says a value cannot be printed instead of throwing a second error', () => {
    expect(errorMessage({ toString: 0 })).toBe('a thrown object that cannot be printed');
    expect(errorMessage(Object.create(null))).toBe('a thrown object that cannot be printed');
    expect(errorMessage({ toString() { throw new Error('no'); } })).toBe('a thrown object that cannot be printed');
    expect(errorMessage(everyTrapThrows)).toMatch(/cannot be printed/);
    const lying = new Error('x');
    Object.defineProperty(lying, 'message', { get() { throw new Error('getter'); } });
    expect(errorMessage(lying)).toMatch(/cannot be printed/);
  });

  it('property: never throws and always gives a string, whatever is thrown', () => {
    const hostile = fc.oneof(
      fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true, withMap: true, withSet: true }),
      fc.dictionary(fc.constantFrom('toString', 'valueOf', 'message', 'code', 'path', 'name'), fc.anything()),
    );
    fc.assert(
      fc.property(hostile, (value) => {
        expect(typeof errorMessage(value)).toBe('string');
        for (const field of ['code', 'path', 'name'] as const) {
          const got = errorField(value, field);
          expect(got === undefined || typeof got === 'string').toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('errorField', () => {
  it('reads a string field and nothing else', () => {
    expect(errorField(Object.assign(new Error('x'), { code: 'ENOSPC' }), 'code')).toBe('ENOSPC');
    expect(errorField({ code: 28 }, 'code')).toBeUndefined();
    expect(errorField(null, 'code')).toBeUndefined();
    expect(errorField('ENOSPC', 'code')).toBeUndefined();
    expect(errorField(everyTrapThrows, 'path')).toBeUndefined();
  });
});

describe('asError', () => {
  it('is the Error itself, or an Error saying what was thrown, whatever that was', () => {
    const error = new Error('x');
    expect(asError(error)).toBe(error);
    expect(asError('plain').message).toBe('plain');
    expect(asError(null).message).toBe('null');
    expect(asError(everyTrapThrows)).toBeInstanceOf(Error);
    expect(asError({ toString: 0 }).message).toBe('a thrown object that cannot be printed');
  });
});
