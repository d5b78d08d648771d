import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { calendarToCron } from '../../../src/import/systemd-calendar.js';
import { translateTimer } from '../../../src/import/systemd.js';
import { normalizeJob } from '../../../src/job/normalize.js';
import { nextFires } from '../../../src/schedule/next-fire.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/import/systemd/', import.meta.url));

function importedTimer(name: string): ReturnType<typeof translateTimer> {
  const service = name.replace(/\.timer$/, '.service');
  const read = (file: string) => ({ name: file, source: file, text: readFileSync(`${FIXTURES}${file}`, 'utf8') });
  return translateTimer({ timer: read(name), service: read(service) });
}

describe('issue 14 import: the Debian timers and services under test/fixtures', () => {
  it.each<[string, Record<string, unknown>]>([
    ['anacron.timer', { schedule: '30 7-23 * * *', command: '/usr/sbin/anacron -d -q $ANACRON_ARGS', catchUp: true, jitter: '5m' }],
    ['apt-daily.timer', { schedule: '0 6,18 * * *', catchUp: true, jitter: '12h' }],
    ['certbot.timer', { schedule: '0 0,12 * * *', command: ['/usr/bin/certbot', '-q', 'renew', '--no-random-sleep-on-renew'], catchUp: true, jitter: '12h' }],
    ['dpkg-db-backup.timer', { schedule: '0 0 * * *', command: ['/usr/libexec/dpkg/dpkg-db-backup'] }],
    ['e2scrub_all.timer', { schedule: '10 3 * * 0', command: ['/sbin/e2scrub_all'], env: { SERVICE_MODE: '1' }, catchUp: true, jitter: '1m' }],
    ['fstrim.timer', { schedule: '0 0 * * 1', catchUp: true, jitter: '1h40m' }],
    ['man-db.timer', { schedule: '0 0 * * *', catchUp: true, jitter: '12h' }],
    ['phpsessionclean.timer', { schedule: '9,39 * * * *', command: ['/usr/lib/php/sessionclean'], catchUp: true }],
    ['sysstat-collect.timer', { schedule: '0-59/10 * * * *', command: ['/usr/lib/sysstat/sa1', '1', '1'] }],
    ['sysstat-summary.timer', { schedule: '7 0 * * *', command: ['/usr/lib/sysstat/sa2', '-A'] }],
    ['systemd-tmpfiles-clean.timer', { schedule: { every: '1d' }, command: ['systemd-tmpfiles', '--clean'] }],
  ])('issue 14 import: %s translates to the expected job, which passes the job schema', (name, expected) => {
    const result = importedTimer(name);
    expect(result.jobs).toHaveLength(1);
    const [job] = result.jobs;
    expect(job!.id).toBe(name.replace(/\.timer$/, ''));
    expect(job!.content).toMatchObject({ id: job!.id, ...expected });
    const loaded = normalizeJob({ raw: job!.content, file: `/jobs/${job!.id}.json`, defaultZone: 'UTC', cwd: '/' });
    expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
  });

  it('issue 14 import: what cannot be said is reported with its line (OnBootSec, User=, Condition*=)', () => {
    const messages = (name: string) => importedTimer(name).notes.map((note) => `${note.line}: ${note.message}`);
    expect(messages('systemd-tmpfiles-clean.timer')).toContain('16: OnBootSec=15min not translated: the first run comes one period after jobd loads the job');
    expect(messages('man-db.timer')).toContain('14: User= not translated: jobd runs every command as the user it runs as');
    expect(messages('apt-daily.timer')).toEqual(['4: ConditionACPower= not translated: jobd runs the command whatever this condition says']);
    expect(messages('dpkg-db-backup.timer')).toEqual([]);
  });
});

describe('issue 14 import: OnCalendar= to cron (table)', () => {
  const FROM = Date.parse('2026-12-02T08:00:00Z');
  const instants = (expression: string, zone: string | null, count: number) =>
    nextFires({ kind: 'cron', expression, timezone: zone }, FROM, count).map((at) => new Date(at).toISOString());

  it.each<[string, string, string | null]>([
    ['*-*-* 07..23:30', '30 7-23 * * *', null],
    ['*:00/10', '0-59/10 * * * *', null],
    ['00:07:00', '7 0 * * *', null],
    ['daily', '0 0 * * *', null],
    ['weekly', '0 0 * * 1', null],
    ['minutely', '* * * * *', null],
    ['quarterly', '0 0 1 1,4,7,10 *', null],
    ['Mon..Fri 09:00', '0 9 * * 1,2,3,4,5', null],
    ['Fri..Mon 12:00', '0 12 * * 0,1,5,6', null],
    ['Sat,Sun 10:00 Europe/Paris', '0 10 * * 0,6', 'Europe/Paris'],
    ['Mon *-*-1..7 12:00', '0 12 1-7 * +1', null],
    ['*-02-29 00:00', '0 0 29 2 *', null],
  ])('issue 14 import: OnCalendar=%s is cron %j (zone %s)', (calendar, expression, zone) => {
    expect(calendarToCron(calendar)).toEqual({ ok: true, value: { expression, timezone: zone } });
    expect(instants(expression, zone, 3)).toHaveLength(3);
  });

  it('issue 14 import: "Mon *-*-1..7 12:00" fires only on the first Monday of a month, as systemd does (both must match)', () => {
    const fires = instants('0 12 1-7 * +1', 'UTC', 4);
    for (const at of fires) {
      const date = new Date(at);
      expect([date.getUTCDay(), date.getUTCDate() <= 7]).toEqual([1, true]);
    }
  });

  it.each([
    ['2026-12-24 18:00', /a year other than \* has no cron form/],
    ['*-*~03', /"~" \(days from the end of the month\) has no cron form/],
    ['x', /weekdays "x": expected names like Mon, Mon\.\.Fri or Sat,Sun/],
  ])('issue 14 import: OnCalendar=%s is refused with the reason', (calendar, reason) => {
    const parsed = calendarToCron(calendar);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(reason);
  });
});
