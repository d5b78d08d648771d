import { describe, expect, it } from 'vitest';
import { commandText, describeSpawnError } from '../../../src/run/command-words.js';
import { spawnCommand } from '../../../src/run/spawn-command.js';
import type { Command } from '../../../src/types.js';

async function stdoutOf(command: Command, args: string[], argv0?: string): Promise<string> {
  const subprocess = spawnCommand({ command, args, cwd: process.cwd(), env: { GREETING: 'hi' }, argv0 });
  const chunks: Buffer[] = [];
  subprocess.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  await subprocess;
  return Buffer.concat(chunks).toString('utf8');
}

describe('spawnCommand', () => {
  it('passes args to a shell script as $1 $2, with the job id as $0', async () => {
    const out = await stdoutOf({ shell: 'printf "%s|%s|%s|%s" "$0" "$1" "$2" "$#"' }, ['a b', '$HOME'], 'backup');
    expect(out).toBe('backup|a b|$HOME|2');
  });

  it('appends args to argv without a shell', async () => {
    const out = await stdoutOf({ argv: ['printf', '%s,'] }, ['x', '*', '$HOME']);
    expect(out).toBe('x,*,$HOME,');
  });

  it('adds env to the inherited environment', async () => {
    const out = await stdoutOf({ shell: 'printf "%s %s" "$GREETING" "${PATH:+has-path}"' }, []);
    expect(out).toBe('hi has-path');
  });

  it('runs the command in its own process group', async () => {
    const out = await stdoutOf({ shell: 'ps -o pgid= -p $$' }, []);
    expect(Number(out.trim())).not.toBe(Number(process.pid));
  });

  it('refuses an empty argv', () => {
    expect(() => spawnCommand({ command: { argv: [] }, args: [], cwd: process.cwd(), env: {} })).toThrow(/command is empty/);
  });
});

describe('commandText', () => {
  it.each<[Command, string[], string]>([
    [{ shell: 'pg_dump mydb > out.sql' }, [], 'pg_dump mydb > out.sql'],
    [{ shell: 'echo "$1"' }, ['a b'], `echo "$1" 'a b'`],
    [{ shell: 'set -e\necho hi' }, [], 'set -e\\necho hi'],
    [{ argv: ['/usr/bin/backup', '--dir=/srv/data'] }, ['--fast'], '/usr/bin/backup --dir=/srv/data --fast'],
    [{ argv: ['echo', "it's", ''] }, [], `echo 'it'\\''s' ''`],
  ])('%j %j → %s', (command, args, expected) => {
    expect(commandText(command, args)).toBe(expected);
  });
});

describe('describeSpawnError', () => {
  it.each([
    ['ENOENT', 'command not found: foo'],
    ['EACCES', 'permission denied: foo'],
    ['EIO', 'could not start foo: spawn foo EIO'],
    ['EMFILE', 'cannot start: too many open files (EMFILE)'],
    ['ENFILE', 'cannot start: too many open files in the system (ENFILE)'],
    ['EAGAIN', 'cannot start: too many processes (EAGAIN)'],
  ])('%s → %s', (code, expected) => {
    expect(describeSpawnError({ code, file: 'foo', message: `spawn foo ${code}` })).toBe(expected);
  });
});
