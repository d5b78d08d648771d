import { describe, expect, it } from 'vitest';
import { parseJobText } from '../../../src/job/load-job-file.js';

const FILE = '/jobs/hostile.json';

/** Each problem of a job file's text as `path: message`. */
function problemsOf(text: string): string[] {
  const loaded = parseJobText({ text, file: FILE, defaultZone: null, cwd: '/srv' });
  return loaded.ok ? [] : loaded.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

const base = '"schedule": "@hourly", "command": "true"';
const ENV_NAME = 'expected an environment variable name: not empty, without "=" or a NUL character, and not "__proto__"';

describe('hostile field names and values', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('issue 11.25: "%s" at the top is an unknown field with the usual message', (name) => {
    const [problem] = problemsOf(`{${base}, "${name}": 1}`);
    expect(problem).toMatch(new RegExp(`^${name}: unknown field; expected one of: id, description, schedule, command, `));
  });

  it('issue 11.25: "constructor" in a task is an unknown field of the task', () => {
    expect(problemsOf('{"schedule": "@hourly", "task": {"type": "execute_command", "command": "true", "constructor": 1}}')).toEqual([
      'task.constructor: unknown field; expected one of: type, command',
    ]);
  });

  it.each([
    ['__proto__', '"__proto__"'],
    ['', '""'],
    ['A=B', '"A=B"'],
    ['A\\u0000', '"A\\u0000"'],
  ])('issue 11.25: env name %j is a problem, not silently dropped or passed on', (name, shown) => {
    expect(problemsOf(`{${base}, "env": {"${name}": "x", "OK": "y"}}`)).toEqual([`env.${name.replace('\\u0000', '\0')}: ${ENV_NAME}, got ${shown}`]);
  });

  it('issue 11.25: "constructor" is a fine env name', () => {
    expect(problemsOf(`{${base}, "env": {"constructor": "x"}}`)).toEqual([]);
  });

  it('issue 11.4: maxOutput is at most 16 MiB', () => {
    expect(problemsOf(`{${base}, "maxOutput": 16777216}`)).toEqual([]);
    expect(problemsOf(`{${base}, "maxOutput": 104857600}`)).toEqual([
      'maxOutput: expected an integer from 0 to 16777216 (bytes, at most 16 MiB), got 104857600',
    ]);
  });

  it('lists 20 problems of a file with thousands, then counts the rest', () => {
    const fields = Array.from({ length: 5_000 }, (_, i) => `"x${i}": 1`).join(', ');
    const problems = problemsOf(`{${base}, ${fields}}`);
    expect(problems).toHaveLength(21);
    expect(problems[20]).toBe(': and 4980 more problems');
  });

  it('cuts a key as long as the file to 64 characters in its path, and searches no hint for it', () => {
    const started = performance.now();
    const [problem] = problemsOf(`{${base}, "${'k'.repeat(500_000)}": 1}`);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(problem).toBe(`${'k'.repeat(63)}…: unknown field; expected one of: id, description, schedule, command, args, cwd, env, timeout, ` +
      'killGrace, onTimeout, onFailure, onSuccess, overlap, retries, retryDelay, maxRuns, jitter, catchUp, onLeaseLoss, after, enabled, maxOutput, onInterrupted, maxResumes, $schema');
  });
});
