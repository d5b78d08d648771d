import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { linesOf, runCli } from '../helpers/cli.js';
import { cronOracle, timeFieldsOf } from '../helpers/cron-oracle.js';
import { useTempDir } from '../helpers/e2e-setup.js';
import { waitFor } from '../helpers/process.js';
import { startDaemon } from '../helpers/start-daemon.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const FROM = '2026-12-02T08:00:00Z';

/** Each `wrote <file> (from <source>:<line>)` line of `jobd import`: the file and its source line. */
function writtenFiles(stdout: string): Array<{ file: string; source: string; line: number }> {
  return linesOf(stdout).map((text) => {
    const match = /^wrote (\S+) \(from (.+):(\d+)\)$/.exec(text);
    if (!match) throw new Error(`not a "wrote" line: ${text}`);
    return { file: match[1]!, source: match[2]!, line: Number(match[3]) };
  });
}

/** `jobd next -n 20 --from FROM` on an imported file, against the oracle's reading of its source line (at a fixed UTC offset). */
async function expectSameInstantsAsCron(input: { dir: string; file: string; sourceLine: string; offsetMinutes?: number }): Promise<void> {
  const next = await runCli(['next', input.file, '-n', '20', '--from', FROM], { cwd: input.dir });
  expect(next.code, next.stderr).toBe(0);
  const got = linesOf(next.stdout).map((line) => line.split(/\s+/)[0]);
  const expected = cronOracle(timeFieldsOf(input.sourceLine), Date.parse(FROM), 20, input.offsetMinutes ?? 0).map((at) => new Date(at).toISOString());
  expect(got, `${input.file} from "${input.sourceLine}"`).toEqual(expected);
}

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

  it('issue 14: a crontab piped through stdin (--crontab -) imports, and jobd next gives cron\'s next 20 instants for each line', async () => {
    const { dir, jobsDir } = tmp();
    const text = await readFile(join(FIXTURES, 'crontab', 'crontab5-example'), 'utf8');
    const imported = await runCli(['import', '--crontab', '-', '--to', jobsDir], { cwd: dir, input: text });
    // MAILTO=paul is the one thing jobd cannot say: reported with stdin's name and its line.
    expect(imported.code).toBe(1);
    expect(linesOf(imported.stderr)).toEqual([expect.stringMatching(/^-:5: MAILTO not translated: jobd sends no mail/)]);
    const written = writtenFiles(imported.stdout);
    expect(written.map((entry) => entry.line)).toEqual([8, 10, 12, 13, 14, 16]);
    expect(new Set(written.map((entry) => entry.source))).toEqual(new Set(['-']));
    expect((await runCli(['validate', jobsDir], { cwd: dir })).code).toBe(0);
    const source = text.split('\n');
    for (const { file, line } of written) await expectSameInstantsAsCron({ dir, file, sourceLine: source[line - 1]! });
  }, 60_000);

  it('issue 14: a cron.d directory (user column) imports with ids from the file names and cron\'s next 20 instants', async () => {
    const { dir, jobsDir } = tmp();
    const cronD = join(FIXTURES, 'cron.d');
    const imported = await runCli(['import', '--crontab', cronD, '--to', jobsDir], { cwd: dir });
    // Every line there is for root: a note only when the tests do not run as root.
    const notes = linesOf(imported.stderr);
    for (const note of notes) expect(note).toMatch(/: imported, but cron ran it as user "root"; jobd runs it as "/);
    expect(imported.code).toBe(notes.length === 0 ? 0 : 1);
    const written = writtenFiles(imported.stdout);
    expect(written.map((entry) => entry.file.slice(jobsDir.length + 1)).sort()).toEqual(
      ['anacron.json', 'certbot.json', 'e2scrub_all.json', 'e2scrub_all-2.json', 'php.json', 'sysstat.json', 'sysstat-2.json'].sort(),
    );
    expect((await runCli(['validate', jobsDir], { cwd: dir })).code).toBe(0);
    for (const { file, source, line } of written) {
      const job = JSON.parse(await readFile(file, 'utf8')) as { description: string };
      expect(job.description).toMatch(/cron user: root/);
      const sourceLine = (await readFile(source, 'utf8')).split('\n')[line - 1]!;
      await expectSameInstantsAsCron({ dir, file, sourceLine });
    }
  }, 60_000);

  it('issue 14: CRON_TZ, "%" and @reboot through the CLI: the zone\'s instants, stdin lines, a run at the daemon\'s start', async () => {
    const { dir, jobsDir } = tmp();
    const out = join(dir, 'reboot-stdin.txt');
    const crontab = [
      'CRON_TZ=Europe/Paris',
      '30 2 * * 1-5 echo paris',
      'TZ=Asia/Tokyo',
      '@reboot cat > ' + out + '%line one%line two with \\% percent',
      '',
    ].join('\n');
    const imported = await runCli(['import', '--crontab', '-', '--to', jobsDir], { cwd: dir, input: crontab });
    expect(imported.code, imported.stderr).toBe(0);
    const written = writtenFiles(imported.stdout);
    expect(written.map((entry) => entry.line)).toEqual([2, 4]);
    const [paris, reboot] = written.map((entry) => entry.file) as [string, string];
    expect(JSON.parse(await readFile(paris, 'utf8'))).toMatchObject({ schedule: { cron: '30 2 * * 1-5', timezone: 'Europe/Paris' } });
    // December: Paris is at UTC+1 for all 20 fires.
    await expectSameInstantsAsCron({ dir, file: paris, sourceLine: '30 2 * * 1-5', offsetMinutes: 60 });
    const next = await runCli(['next', paris, '-n', '1', '--from', FROM], { cwd: dir });
    expect(next.stdout).toMatch(/^2026-12-03T01:30:00\.000Z  2026-12-03 02:30:00 \+01:00 Europe\/Paris/);
    expect(JSON.parse(await readFile(reboot, 'utf8'))).toMatchObject({ schedule: '@reboot', env: { TZ: 'Asia/Tokyo' } });

    const daemon = await startDaemon({ dir });
    const end = await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'cat', { timeoutMs: 8_000 });
    expect(end).toMatchObject({ status: 'ok', trigger: 'schedule' });
    expect(await waitFor(() => readFile(out, 'utf8'), { what: out })).toBe('line one\nline two with % percent');
  }, 60_000);

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
