import { describe, expect, it } from 'vitest';
import { closestField } from '../../../src/job/did-you-mean.js';

const FIELDS = ['id', 'description', 'schedule', 'command', 'args', 'cwd', 'env', 'timeout', 'killGrace', 'retries', 'after'];

describe('closestField', () => {
  it.each([
    ['timout', 'timeout'],
    ['comand', 'command'],
    ['shedule', 'schedule'],
    ['Timeout', 'timeout'],
    ['KILLGRACE', 'killGrace'],
    ['killgrace', 'killGrace'],
    ['retires', 'retries'],
    ['arg', 'args'],
    ['envv', 'env'],
    ['descripton', 'description'],
  ])('suggests %s → %s', (name, expected) => {
    expect(closestField(name, FIELDS)).toBe(expected);
  });

  it.each(['frequency', 'user', 'xyz', 'timeoutSeconds', ''])('suggests nothing for %j', (name) => {
    expect(closestField(name, FIELDS)).toBeNull();
  });

  it('prefers a case-insensitive exact match over a closer spelling', () => {
    expect(closestField('Args', ['arg', 'args'])).toBe('args');
  });

  it('allows one edit for short names and a third of the length for long ones', () => {
    expect(closestField('ab', ['abc'])).toBe('abc');
    expect(closestField('ab', ['abcd'])).toBeNull();
    expect(closestField('abcdef', ['abcdXY'])).toBe('abcdXY');
    expect(closestField('abcdef', ['abcXYZ'])).toBeNull();
  });

  it('returns null with no candidates', () => {
    expect(closestField('timeout', [])).toBeNull();
  });
});
