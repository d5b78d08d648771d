import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ImportResult, Job } from '../../../src/types.js';
import { translateCrontab } from '../../../src/import/crontab.js';
import { normalizeJob } from '../../../src/job/normalize.js';
import { nextFires } from '../../../src/schedule/next-fire.js';
import { cronOracle, timeFieldsOf } from '../../helpers/cron-oracle.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));
const FROM = Date.parse('2026-12-02T08:00:00Z');

function imported(path: string, options: { system?: boolean; idBase?: string } = {}): ImportResult & { text: string } {
  const text = readFileSync(`${FIXTURES}${path}`, 'utf8');
  const result = translateCrontab({ text, source: path, system: options.system ?? false, currentUser: 'root', ...(options.idBase ? { idBase: options.idBase } : {}) });
  return { ...result, text };
}

function validJob(content: Record<string, unknown>): Job {
  const loaded = normalizeJob({ raw: content, file: `/jobs/${String(content.id)}.json`, defaultZone: 'UTC', cwd: '/' });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.value;
}

const ZONE_OFFSETS: Record<string, number> = { 'Europe/Paris': 60, 'America/New_York': -300 };

function expectSameInstants(result: ImportResult & { text: string }): void {
  const lines = result.text.split('\n');
  for (const job of result.jobs) {
    // No instants to compare: it runs at each start (checked on its own).
    if (job.content.schedule === '@reboot') continue;
    const parsed = validJob(job.content);
    const schedule = job.content.schedule as string | { timezone: string };
    const offset = typeof schedule === 'object' ? ZONE_OFFSETS[schedule.timezone]! : 0;
    const expected = cronOracle(timeFieldsOf(lines[job.line - 1]!), FROM, 20, offset);
    const got = nextFires(parsed.schedule!, FROM, 20).map((at) => new Date(at).toISOString());
    expect(got, `${job.source}:${job.line}`).toEqual(expected.map((at) => new Date(at).toISOString()));
  }
}

describe('issue 14 import: crontab(5) example file', () => {
  const result = imported('crontab/crontab5-example');

  it('issue 14 import: every line of the crontab(5) example becomes a valid job with the same next 20 instants', () => {
    expect(result.jobs.map((job) => job.line)).toEqual([8, 10, 12, 13, 14, 16]);
    expectSameInstants(result);
  });

  it('issue 14 import: MAILTO is reported as not translated, with its line', () => {
    expect(result.notes).toEqual([{ source: 'crontab/crontab5-example', line: 5, message: expect.stringMatching(/^MAILTO not translated: jobd sends no mail/) }]);
  });

  it('issue 14 import: stdin text and escaped percents in a longer crontab', () => {
    const examples = imported('crontab/examples');
    expect(examples.jobs.find((job) => job.line === 30)!.content.command).toBe(`printf '%s' 'line one\nline two with % percent' | {\nmail -s report ops\n}`);
    expect(examples.jobs.find((job) => job.line === 31)!.content.command).toBe('date +%Y-%m-%d > /tmp/today');
  });

  it('issue 14 import: "%" starts stdin (each further "%" a newline) and "\\%" is a literal percent', () => {
    const mail = result.jobs.find((job) => job.line === 12)!;
    expect(mail.content.command).toBe(`printf '%s' 'Joe,\n\nWhere are your kids?\n' | {\nmail -s "It's 10pm" joe\n}`);
    const expr = result.jobs.find((job) => job.line === 16)!;
    expect(expr.content.command).toBe('expr $(date +%s) / 60 / 60 / 24 % 9 > /dev/null || echo Wax the floor.');
  });

  it('issue 14 import: the comment right above a line becomes its description; SHELL=/bin/sh keeps a shell string', () => {
    expect(result.jobs[0]!.content).toEqual({
      id: 'daily.job',
      description: 'run five minutes after midnight, every day',
      schedule: '5 0 * * *',
      command: '$HOME/bin/daily.job >> $HOME/tmp/out 2>&1',
      env: { SHELL: '/bin/sh' },
    });
    expect(result.jobs.find((job) => job.line === 13)!.content.description).toBeUndefined();
  });
});

describe('issue 14 import: the usual crontab examples', () => {
  const result = imported('crontab/examples');

  it('issue 14 import: ranges, steps, lists, names, macros and day-of-month OR day-of-week give the same next 20 instants as cron', () => {
    expect(result.jobs.length).toBe(23);
    expectSameInstants(result);
  });

  it('issue 14: @reboot is imported as jobd\'s @reboot (a run at each daemon start), and nothing is reported', () => {
    expect(result.notes).toEqual([]);
    expect(result.jobs.find((job) => job.line === 28)!.content).toMatchObject({ schedule: '@reboot', command: '/usr/local/bin/on-boot' });
    expect(validJob(result.jobs.find((job) => job.line === 28)!.content).schedule).toEqual({ kind: 'start' });
  });

  it('issue 14 import: "*/2" in day of month makes both day fields count, as cron does (croner needs "+")', () => {
    expect(result.jobs.find((job) => job.line === 18)!.content.schedule).toBe('0 12 */2 * +mon');
    expect(result.jobs.find((job) => job.line === 14)!.content.schedule).toBe('0 */4 1 * mon');
  });

  it('issue 14 import: CRON_TZ gives the schedule a zone; TZ only reaches the command\'s env; variables before a line are its env', () => {
    const paris = result.jobs.find((job) => job.line === 33)!.content;
    expect(paris.schedule).toEqual({ cron: '30 2 * * *', timezone: 'Europe/Paris' });
    expect(paris.env).toEqual({ PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/home/ops' });
    // As in Debian's cron: TZ= after CRON_TZ= leaves the schedule in Paris and is the command's TZ.
    const afterTz = result.jobs.find((job) => job.line === 35)!.content;
    expect(afterTz.schedule).toEqual({ cron: '0 9 * * 1-5', timezone: 'Europe/Paris' });
    expect(afterTz.env).toEqual({ PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/home/ops', TZ: 'America/New_York' });
  });

  it('issue 14: TZ alone leaves the schedule in the daemon\'s zone and goes to env; CRON_TZ alone is the zone and not env', () => {
    const tz = translateCrontab({ text: 'TZ=Asia/Tokyo\n0 9 * * * date\n', source: 'tab', system: false, currentUser: 'me' });
    expect(tz.jobs[0]!.content).toMatchObject({ schedule: '0 9 * * *', env: { TZ: 'Asia/Tokyo' } });
    const cronTz = translateCrontab({ text: 'CRON_TZ=Asia/Tokyo\n0 9 * * * date\n', source: 'tab', system: false, currentUser: 'me' });
    expect(cronTz.jobs[0]!.content.schedule).toEqual({ cron: '0 9 * * *', timezone: 'Asia/Tokyo' });
    expect(cronTz.jobs[0]!.content.env).toBeUndefined();
    expect([...tz.notes, ...cronTz.notes]).toEqual([]);
  });

  it('issue 14 import: ids come from the program, made unique with -2, -3', () => {
    expect(result.jobs.slice(0, 3).map((job) => job.id)).toEqual(['daily-report', 'monthly-report', 'echo']);
    expect(result.jobs.slice(3, 5).map((job) => job.id)).toEqual(['echo-2', 'echo-3']);
    expect(new Set(result.jobs.map((job) => job.id)).size).toBe(result.jobs.length);
  });
});

describe('issue 14 import: Debian system crontabs with a user column', () => {
  it('issue 14 import: /etc/crontab keeps the user in the description and gives the same next 20 instants', () => {
    const result = imported('crontab/etc-crontab', { system: true });
    expect(result.jobs.map((job) => job.content.command)).toEqual([
      'cd / && run-parts --report /etc/cron.hourly',
      'test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }',
      'test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.weekly; }',
      'test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.monthly; }',
    ]);
    expect(result.jobs.map((job) => job.id)).toEqual(['run-parts', 'run-parts-2', 'run-parts-3', 'run-parts-4']);
    expect(String(result.jobs[1]!.content.description)).toBe('cron user: root');
    expect(result.notes).toEqual([]);
    expectSameInstants(result);
  });

  it.each(['e2scrub_all', 'php', 'certbot', 'sysstat', 'anacron'])('issue 14 import: /etc/cron.d/%s imports with ids from the file name and the same next 20 instants', (name) => {
    const result = imported(`cron.d/${name}`, { system: true, idBase: name });
    expect(result.jobs.length).toBeGreaterThan(0);
    expect(result.jobs[0]!.id).toBe(name);
    expect(result.notes).toEqual([]);
    for (const job of result.jobs) expect(String(job.content.description)).toMatch(/cron user: root/);
    expectSameInstants(result);
  });

  it('issue 14 import: a line for another user than jobd\'s is imported with a warning naming both users', () => {
    const result = imported('cron.d/sysstat', { system: true, idBase: 'sysstat' });
    const other = translateCrontab({ text: readFileSync(`${FIXTURES}cron.d/sysstat`, 'utf8'), source: 'sysstat', system: true, currentUser: 'ops', idBase: 'sysstat' });
    expect(other.jobs.length).toBe(result.jobs.length);
    expect(other.notes.map((note) => `${note.line}: ${note.message}`)).toEqual([
      '6: imported, but cron ran it as user "root"; jobd runs it as "ops"',
      '9: imported, but cron ran it as user "root"; jobd runs it as "ops"',
    ]);
    expect(result.jobs.map((job) => job.id)).toEqual(['sysstat', 'sysstat-2']);
    expect(result.jobs[0]!.content.env).toEqual({ PATH: '/usr/lib/sysstat:/usr/sbin:/usr/sbin:/usr/bin:/sbin:/bin' });
  });
});

describe('issue 14 import: lines that cannot be said exactly', () => {
  const cases: Array<[string, RegExp]> = [
    ['0 0 L * * x', /not imported: day of month: "L": expected day of month 1-31/],
    ['5/10 * * * * x', /not imported: minute: "5\/10": a step needs a range or \* before it/],
    ['0 0 * * fri-mon x', /^not imported: day of week: "fri-mon": the range "fri-mon" goes backwards: cron accepts it but takes no day of week from it \(it does not wrap\), so the line does not run as it reads; for the values that wrap, write "fri-sat,sun-mon"$/],
    ['0 22-2 * * * x', /^not imported: hour: "22-2": the range "22-2" goes backwards: .*; for the values that wrap, write "22-23,0-2"$/],
    ['0 0 * nov-feb/2 * x', /^not imported: month: "nov-feb\/2": the range "nov-feb" goes backwards: .*as it reads$/],
    ['61 * * * * x', /not imported: minute: "61"/],
    ['@every 5m x', /not imported: unknown macro "@every"/],
    ['* * * *', /not imported: expected 5 time fields/],
    ['0 0 * * * %only stdin', /not imported: the command before "%" is empty/],
  ];
  it.each(cases)('issue 14 import: "%s" is reported with its line and reason', (line, message) => {
    const result = translateCrontab({ text: `# c\n${line}\n`, source: 'tab', system: false, currentUser: 'me' });
    expect(result.jobs).toEqual([]);
    expect(result.notes).toEqual([{ source: 'tab', line: 2, message: expect.stringMatching(message) }]);
  });

  it('issue 14 import: SHELL other than /bin/sh runs the command as [shell, "-c", command]', () => {
    const result = translateCrontab({ text: 'SHELL=/bin/bash\n* * * * * echo $BASH_VERSION\n', source: 'tab', system: false, currentUser: 'me' });
    expect(result.jobs[0]!.content.command).toEqual(['/bin/bash', '-c', 'echo $BASH_VERSION']);
    expect(result.notes).toEqual([]);
  });

  it('issue 14 import: an empty MAILTO (no mail, as in jobd) is not reported', () => {
    const result = translateCrontab({ text: 'MAILTO=""\n* * * * * true\n', source: 'tab', system: false, currentUser: 'me' });
    expect(result.notes).toEqual([]);
    expect(result.jobs[0]!.content.env).toBeUndefined();
  });
});
