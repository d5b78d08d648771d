import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, jobDefinitionKey, loadJobFile, parseJobText } from '../../../src/job/load-job-file.js';
import type { Job } from '../../../src/types.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jobd-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(name: string, content?: string | Buffer) {
  const file = join(dir, name);
  if (content !== undefined) await writeFile(file, content);
  return loadJobFile({ file, defaultZone: null, cwd: dir });
}

function parse(text: string) {
  return parseJobText({ text, file: 'jobs.d/a.json', defaultZone: null, cwd: '/srv' });
}

function jobOf(text: string, file = 'jobs.d/a.json'): Job {
  const loaded = parseJobText({ text, file, defaultZone: null, cwd: '/srv' });
  if (!loaded.ok) throw new Error(`expected a valid job, got ${JSON.stringify(loaded.problems)}`);
  return loaded.value;
}

describe('loadJobFile', () => {
  it('loads a valid file, with a byte order mark', async () => {
    const loaded = await load('ping.json', '\uFEFF{"schedule": "@every 30s", "command": "echo ping"}');
    expect(loaded.ok && loaded.value).toMatchObject({ id: 'ping', file: join(dir, 'ping.json'), cwd: dir });
  });

  it('reports a missing file as a problem of the whole file', async () => {
    const file = join(dir, 'gone.json');
    expect(await load('gone.json')).toEqual({
      ok: false,
      problems: [{ file, path: '', message: 'cannot read the file: the file does not exist (ENOENT)' }],
    });
  });

  it('rejects a file over 1 MiB before parsing it', async () => {
    const loaded = await load('huge.json', `{"command": "${'x'.repeat(1024 * 1024)}"}`);
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.problems).toEqual([
      { file: join(dir, 'huge.json'), path: '', message: expect.stringMatching(/^the file is too large \(1048591 bytes\); a job file may be at most 1048576 bytes/) },
    ]);
  });

  it('reports a directory named like a job file', async () => {
    await mkdir(join(dir, 'folder.json'));
    const loaded = await load('folder.json');
    expect(!loaded.ok && loaded.problems[0]?.message).toBe('cannot read the file: it is a directory, not a file (EISDIR)');
  });

  it('reports a path through a file', async () => {
    await writeFile(join(dir, 'plain'), '');
    const loaded = await load('plain/inner.json');
    expect(!loaded.ok && loaded.problems[0]?.message).toBe('cannot read the file: a part of its path is not a directory (ENOTDIR)');
  });

  it('reports a JSON syntax error by line and column', async () => {
    const loaded = await load('broken.json', '{\n  "schedule": "@hourly",\n  "command": "ls",\n}\n');
    expect(!loaded.ok && loaded.problems).toEqual([
      { file: join(dir, 'broken.json'), path: 'line 3 column 18', message: 'trailing comma is not allowed' },
    ]);
  });
});

describe('parseJobText', () => {
  it('says an empty file is empty', () => {
    expect(parse(' \n')).toEqual({
      ok: false,
      problems: [{ file: 'jobs.d/a.json', path: '', message: 'the file is empty; expected a JSON object with the job fields' }],
    });
  });

  it('wants an object at the top', () => {
    const loaded = parse('["echo", "hi"]');
    expect(!loaded.ok && loaded.problems[0]).toMatchObject({ path: '', message: expect.stringMatching(/^expected a JSON object.*got \["echo","hi"\]$/) });
  });

  it('passes every field problem on, with the file name', () => {
    const loaded = parse('{"schedule": "@hourly", "command": 42, "retries": 11}');
    expect(!loaded.ok && loaded.problems.map(formatProblem)).toEqual([
      'jobs.d/a.json: command: expected a non-empty string or a non-empty array of strings, got 42',
      'jobs.d/a.json: retries: expected an integer from 0 to 10, got 11',
    ]);
  });
});

describe('formatProblem', () => {
  it('joins file, path and message, leaving out an empty path', () => {
    expect(formatProblem({ file: 'jobs.d/a.json', path: 'env.HOME', message: 'expected a string, got 5' })).toBe(
      'jobs.d/a.json: env.HOME: expected a string, got 5',
    );
    expect(formatProblem({ file: 'jobs.d/a.json', path: '', message: 'the file is empty' })).toBe('jobs.d/a.json: the file is empty');
  });
});

describe('jobDefinitionKey', () => {
  const text = '{"schedule": "@every 1m", "command": "ls", "env": {"B": "2", "A": "1"}}';

  it('is the same for the same content, whatever the order of the fields', () => {
    const reordered = '{"env": {"A": "1", "B": "2"}, "command": "ls", "schedule": "@every 1m"}';
    expect(jobDefinitionKey(jobOf(text))).toBe(jobDefinitionKey(jobOf(text)));
    expect(jobDefinitionKey(jobOf(reordered))).toBe(jobDefinitionKey(jobOf(text)));
  });

  it('differs when anything of the job differs', () => {
    const key = jobDefinitionKey(jobOf(text));
    expect(jobDefinitionKey(jobOf(text.replace('"ls"', '"ls -l"')))).not.toBe(key);
    expect(jobDefinitionKey(jobOf(text.replace('"1"', '"one"')))).not.toBe(key);
    expect(jobDefinitionKey(jobOf(text.replace('1m', '2m')))).not.toBe(key);
    expect(jobDefinitionKey(jobOf(text, 'jobs.d/b.json'))).not.toBe(key);
  });
});

describe('job file fixtures', () => {
  const fixtures = fileURLToPath(new URL('../../fixtures/jobs/', import.meta.url));
  const files = (folder: string) => readdirSync(join(fixtures, folder)).map((name) => join(fixtures, folder, name));

  it.each([...files('valid'), ...files('compatible')])('loads %s', async (file) => {
    const loaded = loadJobFile({ file, defaultZone: null, cwd: fixtures });
    expect(loaded.ok ? [] : loaded.problems.map(formatProblem)).toEqual([]);
  });

  it.each(files('invalid'))('rejects %s', async (file) => {
    const loaded = loadJobFile({ file, defaultZone: null, cwd: fixtures });
    expect(loaded.ok).toBe(false);
  });
});
