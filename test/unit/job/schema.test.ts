import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jobJsonSchema } from '../../../src/job/schema.js';

const ROOT = new URL('../../../', import.meta.url);

function jsonFiles(folder: string): Array<[string, unknown]> {
  const dir = new URL(folder, ROOT);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => [`${folder}${name}`, JSON.parse(readFileSync(new URL(name, dir), 'utf8'))]);
}

// The generated schema is read back as a validator, so it is checked as JSON Schema, not just as an object.
const validator = z.fromJSONSchema(jobJsonSchema() as Parameters<typeof z.fromJSONSchema>[0]);

describe('jobJsonSchema', () => {
  const schema = jobJsonSchema() as Record<string, unknown>;
  const text = JSON.stringify(schema);

  it('is a draft 2020-12 schema titled for job files', () => {
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'jobd job file' });
    expect(schema.anyOf).toHaveLength(3);
  });

  it.each([
    'id', 'description', 'schedule', 'command', 'args', 'cwd', 'env', 'timeout', 'killGrace', 'onTimeout', 'overlap',
    'retries', 'retryDelay', 'maxRuns', 'jitter', 'catchUp', 'after', 'enabled', 'maxOutput', '$schema',
    'interval', 'unit', 'job_id', 'task', 'execute_command',
  ])('names %s', (field) => {
    expect(text).toContain(`"${field}"`);
  });

  it.each([...jsonFiles('jobs.d/'), ...jsonFiles('test/fixtures/jobs/valid/'), ...jsonFiles('test/fixtures/jobs/compatible/')])(
    'accepts %s',
    (_name, content) => {
      expect(validator.safeParse(content).success).toBe(true);
    },
  );

  it.each([
    ['an unknown field', { schedule: '@hourly', command: 'ls', timout: 5 }],
    ['a bad duration', { schedule: '@hourly', command: 'ls', timeout: '5 parsecs' }],
    ['too many retries', { schedule: '@hourly', command: 'ls', retries: 11 }],
    ['a missing command', { schedule: '@hourly' }],
    ['a bad id', { id: 'a b', schedule: '@hourly', command: 'ls' }],
    ['a schedule beside interval', { interval: 5, unit: 'minutes', schedule: '@hourly', command: 'ls' }],
    ['a bad task type', { job_id: 'x', schedule: '@hourly', task: { type: 'run', command: 'ls' } }],
  ])('rejects %s', (_name, content) => {
    expect(validator.safeParse(content).success).toBe(false);
  });
});
