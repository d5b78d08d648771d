import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { startDaemon } from '../helpers/start-daemon.js';

const TIMER = '[Unit]\nDescription=Say hello\n[Timer]\nOnUnitActiveSec=1s\n[Install]\nWantedBy=timers.target\n';
const SERVICE = '[Unit]\nDescription=Say hello\n[Service]\nType=oneshot\nExecStart=/bin/sh -c "echo imported-hello"\n';

async function writeSources(dir: string): Promise<void> {
  await mkdir(join(dir, 'units'));
  await writeFile(join(dir, 'units', 'hello.timer'), TIMER);
  await writeFile(join(dir, 'units', 'hello.service'), SERVICE);
  await writeFile(join(dir, 'crontab'), '# nightly backup\n*/5 * * * * /usr/bin/backup.sh --all\nMAILTO=ops@example.com\n');
}

describe('jobd import (issue 14, moving in)', () => {
  const tmp = useTempDir();

  it('issue 14: a crontab and a systemd timer become job files that validate, and the daemon runs the imported job', async () => {
    const { dir, jobsDir } = tmp();
    await writeSources(dir);
    const imported = await runCli(['import', '--crontab', 'crontab', '--systemd', 'units', '--to', jobsDir], { cwd: dir });
    // MAILTO has no meaning in jobd: reported with its line, so the exit code says something was not translated.
    expect(imported.code).toBe(1);
    expect(imported.stderr).toMatch(/crontab:3: .*MAILTO/);
    expect((await readdir(jobsDir)).sort()).toEqual(['backup.sh.json', 'hello.json']);
    const backup = JSON.parse(await readFile(join(jobsDir, 'backup.sh.json'), 'utf8')) as Record<string, unknown>;
    expect(backup).toMatchObject({ schedule: '*/5 * * * *', command: '/usr/bin/backup.sh --all', description: 'nightly backup' });

    const validated = await runCli(['validate', jobsDir], { cwd: dir });
    expect(validated.code).toBe(0);
    const next = await runCli(['next', join(jobsDir, 'backup.sh.json'), '-n', '3'], { cwd: dir });
    expect(next.code).toBe(0);
    const instants = next.stdout.trim().split('\n').map((line) => new Date(line.split(/\s+/)[0]!));
    expect(instants).toHaveLength(3);
    for (const instant of instants) expect(instant.getUTCMinutes() % 5).toBe(0);

    const daemon = await startDaemon({ dir });
    const end = await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'hello', { timeoutMs: 8_000 });
    expect(end.status).toBe('ok');
    const lines = daemon.events.filter((e) => e.event === 'run.output' && e.run === end.run).map((e) => e.line);
    expect(lines).toEqual(['imported-hello']);
  });

  it('issue 14: --dry-run writes nothing, and an existing job file is kept unless --force', async () => {
    const { dir, jobsDir } = tmp();
    await writeSources(dir);
    const dry = await runCli(['import', '--systemd', 'units', '--to', jobsDir, '--dry-run'], { cwd: dir });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('"echo imported-hello"');
    expect(await readdir(jobsDir)).toEqual([]);

    await writeFile(join(jobsDir, 'hello.json'), '{"schedule": "@daily", "command": "true"}\n');
    const kept = await runCli(['import', '--systemd', 'units', '--to', jobsDir], { cwd: dir });
    expect(kept.code).toBe(1);
    expect(kept.stderr).toContain('hello.json');
    expect(await readFile(join(jobsDir, 'hello.json'), 'utf8')).toContain('@daily');

    const forced = await runCli(['import', '--systemd', 'units', '--to', jobsDir, '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(await readFile(join(jobsDir, 'hello.json'), 'utf8')).toContain('imported-hello');
  });
});
