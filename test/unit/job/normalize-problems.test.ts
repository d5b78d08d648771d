import { describe, expect, it } from 'vitest';
import { normalizeJob } from '../../../src/job/normalize.js';

const ID_EXPECTED = 'an id of letters, digits, "_", "." or "-", starting with a letter or digit, at most 64 characters';
const DURATION = 'expected a duration like 30, "30s", "500ms" or "1h30m"';

/** Each problem of a file as `path: message`, in the order reported. */
function problemsOf(raw: unknown): string[] {
  const loaded = normalizeJob({ raw, file: '/jobs/nightly.json', defaultZone: null, cwd: '/srv' });
  return loaded.ok ? [] : loaded.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

/** A valid job with one field replaced. */
function withField(field: string, value: unknown): Record<string, unknown> {
  return { schedule: '@hourly', command: 'echo hi', [field]: value };
}

describe('normalizeJob bad values', () => {
  it.each([
    ['id', '-backup', `id: expected ${ID_EXPECTED}, got "-backup"`],
    ['id', 'x'.repeat(65), `id: expected ${ID_EXPECTED}, got "${'x'.repeat(58)}…`],
    ['description', 3, 'description: expected a string, got 3'],
    ['schedule', 42, 'schedule: expected a schedule: a string like "*/5 * * * *", "@daily" or "@every 5m", or an object like {"every": "5m"}, got 42'],
    ['command', 42, 'command: expected a non-empty string or a non-empty array of strings, got 42'],
    ['command', '', 'command: expected a non-empty string or a non-empty array of strings, got ""'],
    ['command', [], 'command: expected a non-empty string or a non-empty array of strings, got []'],
    ['command', ['ls', ''], 'command.1: expected a non-empty string, got ""'],
    ['command', ['ls', 7], 'command.1: expected a non-empty string, got 7'],
    ['args', 'x', 'args: expected an array of values, got "x"'],
    ['cwd', '', 'cwd: expected a non-empty string (a directory), got ""'],
    ['env', [], 'env: expected an object of strings, like {"NAME": "value"}, got []'],
    ['env', { HOME: 5 }, 'env.HOME: expected a string, got 5'],
    ['timeout', '5 fortnights', `timeout: ${DURATION}, got "5 fortnights"`],
    ['timeout', 0, 'timeout: expected a duration greater than 0, like 30, "30s", "500ms" or "1h30m", got 0'],
    ['killGrace', -1, `killGrace: ${DURATION}, got -1`],
    ['retryDelay', '10 S', `retryDelay: ${DURATION}, got "10 S"`],
    ['jitter', 'soon', `jitter: ${DURATION}, got "soon"`],
    ['onTimeout', 5, 'onTimeout: expected a non-empty string or a non-empty array of strings, got 5'],
    ['overlap', 'never', 'overlap: expected one of skip, queue, allow, replace, got "never"'],
    ['retries', 11, 'retries: expected an integer from 0 to 10, got 11'],
    ['retries', 1.5, 'retries: expected an integer from 0 to 10, got 1.5'],
    ['retries', '2', 'retries: expected an integer from 0 to 10, got "2"'],
    ['maxRuns', 0, 'maxRuns: expected an integer of at least 1, got 0'],
    ['catchUp', 1, 'catchUp: expected true or false, got 1'],
    ['onLeaseLoss', 'halt', 'onLeaseLoss: expected one of stop, continue, got "halt"'],
    ['after', 'backup', 'after: expected an array of job ids, got "backup"'],
    ['after', ['ok', 'bad id'], `after.1: expected ${ID_EXPECTED}, got "bad id"`],
    ['after', ['nightly'], 'after.0: a job cannot run after itself ("nightly")'],
    ['enabled', 'yes', 'enabled: expected true or false, got "yes"'],
    ['maxOutput', -1, 'maxOutput: expected an integer from 0 to 16777216 (bytes, at most 16 MiB), got -1'],
    ['$schema', 1, '$schema: expected a string, got 1'],
  ])('%s = %j', (field, value, problem) => {
    expect(problemsOf(withField(field, value))).toEqual([problem]);
  });

  it('says what is missing', () => {
    expect(problemsOf({ schedule: '@hourly' })).toEqual([
      'command: required; expected a non-empty string or a non-empty array of strings',
    ]);
  });

  it('rejects content that is not an object', () => {
    expect(problemsOf(['echo'])).toEqual([': expected a JSON object of job fields, got ["echo"]']);
    expect(problemsOf(null)).toEqual([': expected a JSON object of job fields, got null']);
  });
});

describe('normalizeJob schedules', () => {
  it('prefixes schedule problems with the schedule path', () => {
    const problems = problemsOf({ schedule: { cron: '0 3 * * *', timezone: 'Mars/Olympus' }, command: 'ls' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^schedule\.timezone: .*"Mars\/Olympus"/);
  });

  it('reports an invalid cron expression at schedule', () => {
    const problems = problemsOf({ schedule: '61 * * * *', command: 'ls' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^schedule: .*61/);
  });
});

describe('normalizeJob unknown fields', () => {
  it('hints at the field a misspelt one most likely meant', () => {
    expect(problemsOf(withField('timout', '5s'))).toEqual(['timout: unknown field (did you mean "timeout"?)']);
    expect(problemsOf(withField('Retries', 2))).toEqual(['Retries: unknown field (did you mean "retries"?)']);
  });

  it('lists the accepted fields when none is close', () => {
    expect(problemsOf(withField('frequency', 3))).toEqual([
      'frequency: unknown field; expected one of: id, description, schedule, command, args, cwd, env, timeout, killGrace, ' +
        'onTimeout, onFailure, onSuccess, overlap, retries, retryDelay, maxRuns, jitter, catchUp, onLeaseLoss, after, enabled, maxOutput, onInterrupted, maxResumes, $schema',
    ]);
  });
});

describe('normalizeJob reports every problem', () => {
  it('in the order of the fields in the file', () => {
    const raw = { retries: 11, comand: 'ls', schedule: '@hourly', overlap: 'never', timeout: '5 fortnights' };
    expect(problemsOf(raw)).toEqual([
      'retries: expected an integer from 0 to 10, got 11',
      'comand: unknown field (did you mean "command"?)',
      'overlap: expected one of skip, queue, allow, replace, got "never"',
      `timeout: ${DURATION}, got "5 fortnights"`,
      'command: required; expected a non-empty string or a non-empty array of strings',
    ]);
  });

  it('including schedule problems next to field problems', () => {
    const problems = problemsOf({ command: 42, schedule: 'every day', env: { A: 1 } });
    expect(problems.map((line) => line.split(':')[0])).toEqual(['command', 'schedule', 'env.A']);
  });
});
