import { execFileSync } from 'node:child_process';
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
    expect(messages('systemd-tmpfiles-clean.timer')).toContain('16: OnBootSec=15min: the first run comes 1d (one interval) after jobd starts, not 15m after boot');
    expect(messages('man-db.timer')).toContain('14: User= not translated: jobd runs every command as the user it runs as');
    expect(messages('apt-daily.timer')).toEqual(['4: ConditionACPower= not translated: jobd runs the command whatever this condition says']);
    expect(messages('dpkg-db-backup.timer')).toEqual([]);
  });
});

/** A timer with these [Timer] lines and a service with these [Service] lines, translated. */
function translated(service: string, timer = 'OnCalendar=daily'): ReturnType<typeof translateTimer> {
  return translateTimer({
    timer: { name: 'x.timer', source: 'x.timer', text: `[Timer]\n${timer}\n` },
    service: { name: 'x.service', source: 'x.service', text: `[Service]\n${service}\n` },
  });
}

const notesOf = (result: ReturnType<typeof translateTimer>): string[] => result.notes.map((note) => `${note.source}:${note.line}: ${note.message}`);

describe('issue 14 import: systemd settings to job fields (table)', () => {
  it.each<[string, string, Record<string, unknown>, string[]]>([
    ['WorkingDirectory= → cwd', 'ExecStart=/bin/x\nWorkingDirectory=/srv/app', { cwd: '/srv/app' }, []],
    ['WorkingDirectory=- (may be missing) → cwd', 'ExecStart=/bin/x\nWorkingDirectory=-/srv/app', { cwd: '/srv/app' }, []],
    ['WorkingDirectory= relative → not translated', 'ExecStart=/bin/x\nWorkingDirectory=~', {}, ['x.service:3: WorkingDirectory=~ not translated: expected an absolute path']],
    ['TimeoutStartSec= of a oneshot → timeout', 'Type=oneshot\nExecStart=/bin/x\nTimeoutStartSec=5min', { timeout: '5m' }, []],
    ['TimeoutSec= of a oneshot → timeout and killGrace', 'Type=oneshot\nExecStart=/bin/x\nTimeoutSec=90', { timeout: '1m30s', killGrace: '1m30s' }, []],
    ['TimeoutStartSec= after TimeoutSec= wins', 'Type=oneshot\nExecStart=/bin/x\nTimeoutSec=90\nTimeoutStartSec=10min', { timeout: '10m', killGrace: '1m30s' }, []],
    ['RuntimeMaxSec= → timeout', 'ExecStart=/bin/x\nRuntimeMaxSec=1h 30min', { timeout: '1h30m' }, []],
    ['RuntimeMaxSec= of a oneshot has no effect (systemd.service(5))', 'Type=oneshot\nExecStart=/bin/x\nRuntimeMaxSec=2min', {}, []],
    ['TimeoutStartSec=infinity → no timeout', 'Type=oneshot\nExecStart=/bin/x\nTimeoutStartSec=infinity', {}, []],
    ['TimeoutStopSec= → killGrace', 'ExecStart=/bin/x\nTimeoutStopSec=30s', { killGrace: '30s' }, []],
    ['TimeoutStopSec=infinity → reported', 'ExecStart=/bin/x\nTimeoutStopSec=infinity', {}, ['x.service:3: TimeoutStopSec=infinity not translated: jobd always sends SIGKILL after "killGrace"']],
    ['Environment= → env, quoted, several per line, later lines win', 'ExecStart=/bin/x\nEnvironment="A=1" "B=two words"\nEnvironment=C=3 A=4', { env: { A: '4', B: 'two words', C: '3' } }, []],
    ['ExecStart= plain → argv', 'ExecStart=/usr/bin/foo -x "a b"', { command: ['/usr/bin/foo', '-x', 'a b'] }, []],
    ['ExecStart=- (failure ignored) → shell that ignores it', 'ExecStart=-/usr/bin/foo', { command: '{ /usr/bin/foo || true; }' }, []],
    ['ExecStart=: (no substitution) → argv with a literal $', 'ExecStart=:/bin/echo $HOME', { command: ['/bin/echo', '$HOME'] }, []],
    ['ExecStart= with $NAME → shell, split at spaces', 'ExecStart=/bin/echo $HOME', { command: '/bin/echo $HOME' }, []],
    ['ExecStart= with ${NAME} → shell, one word', 'ExecStart=/bin/echo ${HOME}/x', { command: '/bin/echo "${HOME}"/x' }, []],
    ['ExecStart= with $$ → a literal $', 'ExecStart=/bin/echo $$x', { command: "/bin/echo '$'x" }, []],
    ['ExecStart=+ (privileged) → argv', 'ExecStart=+/bin/foo', { command: ['/bin/foo'] }, []],
    ['ExecStart=@ (argv[0]) → argv without it, reported', 'ExecStart=@/bin/foo bar x', { command: ['/bin/foo', 'x'] }, ['x.service:2: ExecStart: "@" sets argv[0] to "bar"; jobd runs the program under its own name']],
    ['ExecStart= with %n %N %% → expanded', 'ExecStart=/bin/echo %n %N 100%%', { command: ['/bin/echo', 'x.service', 'x', '100%'] }, []],
    ['ExecStartPre=/ExecStart=/ExecStartPost= of a oneshot → joined by &&', 'Type=oneshot\nExecStartPre=/bin/a\nExecStart=/bin/b\nExecStartPost=-/bin/c', { command: '/bin/a && /bin/b && { /bin/c || true; }' }, []],
  ])('issue 14 import: %s', (_what, service, expected, notes) => {
    const result = translated(service);
    expect(result.jobs).toHaveLength(1);
    const { id: _id, schedule: _schedule, command, ...rest } = result.jobs[0]!.content;
    const { command: expectedCommand, ...expectedRest } = expected;
    if (expectedCommand !== undefined) expect(command).toEqual(expectedCommand);
    expect(rest).toEqual(expectedRest);
    expect(notesOf(result)).toEqual(notes);
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['Persistent=true → catchUp', 'OnCalendar=daily\nPersistent=true', { catchUp: true }],
    ['Persistent=no → nothing', 'OnCalendar=daily\nPersistent=no', {}],
    ['RandomizedDelaySec=90 → jitter', 'OnCalendar=daily\nRandomizedDelaySec=90', { jitter: '1m30s' }],
    ['RandomizedDelaySec=2h 5min → jitter', 'OnCalendar=daily\nRandomizedDelaySec=2h 5min', { jitter: '2h5m' }],
    ['RandomizedDelaySec=0 → nothing', 'OnCalendar=daily\nRandomizedDelaySec=0', {}],
  ])('issue 14 import: %s', (_what, timer, expected) => {
    const result = translated('ExecStart=/bin/x', timer);
    const { id: _id, schedule, command: _command, ...rest } = result.jobs[0]!.content;
    expect(schedule).toBe('0 0 * * *');
    expect(rest).toEqual(expected);
    expect(result.notes).toEqual([]);
  });
});

describe('issue 14 import: OnBootSec= (table)', () => {
  it.each<[string, unknown[], string[]]>([
    ['OnBootSec=15min\nOnUnitActiveSec=1h', [{ every: '1h' }], ['x.timer:2: OnBootSec=15min: the first run comes 1h (one interval) after jobd starts, not 15m after boot']],
    ['OnBootSec=1h\nOnUnitActiveSec=1h', [{ every: '1h' }], []],
    ['OnStartupSec=10s\nOnUnitActiveSec=10s', [{ every: '10s' }], []],
    ['OnBootSec=5min', ['@reboot'], ['x.timer:2: OnBootSec=5min imported as "@reboot": a run each time jobd starts, at once; the 5m delay after boot is not kept']],
    ['OnBootSec=0', ['@reboot'], []],
    ['OnActiveSec=30s', ['@reboot'], ['x.timer:2: OnActiveSec=30s imported as "@reboot": a run each time jobd starts, at once; the 30s delay after the timer\'s start is not kept']],
    ['OnCalendar=daily\nOnBootSec=0', ['0 0 * * *', '@reboot'], ['x.timer:3: imported as 2 jobs, one per schedule; they do not share overlap']],
    ['OnBootSec=soon', [], ['x.timer:2: OnBootSec=soon not translated: expected a time span, like 15min', 'x.timer:0: not imported: none of its schedules can be said in jobd']],
  ])('issue 14 import: %j', (timer, schedules, notes) => {
    const result = translated('ExecStart=/bin/x', timer);
    expect(result.jobs.map((job) => job.content.schedule)).toEqual(schedules);
    expect(notesOf(result)).toEqual(notes);
    for (const job of result.jobs) {
      const loaded = normalizeJob({ raw: job.content, file: `/jobs/${job.id}.json`, defaultZone: 'UTC', cwd: '/' });
      expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
    }
  });
});

/**
 * systemd's own next instants of a calendar event after FROM (`systemd-analyze calendar
 * --base-time`), in UTC: the translation is checked against systemd, not against itself.
 * systemd-analyze comes with Debian's systemd package (scripts/install-test-deps.sh).
 */
function systemdInstants(calendar: string, count: number): string[] {
  const output = execFileSync('systemd-analyze', ['calendar', `--iterations=${count}`, '--base-time=2026-12-02 08:00:00 UTC', calendar], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
  });
  return [...output.matchAll(/(?:Next elapse|Iter\. #\d+): \w{3} (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC/g)].map((match) => `${match[1]}T${match[2]}.000Z`);
}

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
    ['Fri..Sun 12:00', '0 12 * * 0,5,6', null],
    ['Sat,Sun 10:00 Europe/Paris', '0 10 * * 0,6', 'Europe/Paris'],
    ['Mon *-*-1..7 12:00', '0 12 1-7 * +1', null],
    ['*-02-29 00:00', '0 0 29 2 *', null],
    ['Sat..Sun,Mon *-*-* 06:15', '15 6 * * 0,1,6', null],
    ['*-*-01,15 04:00 America/New_York', '0 4 1,15 * *', 'America/New_York'],
    ['*-01..03-* 12:00', '0 12 * 1-3 *', null],
    ['hourly', '0 * * * *', null],
    ['monthly', '0 0 1 * *', null],
    ['semiannually', '0 0 1 1,7 *', null],
  ])('issue 14 import: OnCalendar=%s is cron %j (zone %s), with the next 20 instants systemd-analyze gives', (calendar, expression, zone) => {
    expect(calendarToCron(calendar)).toEqual({ ok: true, value: { expression, timezone: zone } });
    // A schedule without a zone is in the system zone for both: UTC here.
    expect(instants(expression, zone ?? 'UTC', 20)).toEqual(systemdInstants(calendar, 20));
  });

  it.each(['anacron', 'apt-daily', 'certbot', 'dpkg-db-backup', 'e2scrub_all', 'fstrim', 'man-db', 'phpsessionclean', 'sysstat-collect', 'sysstat-summary'])(
    'issue 14 import: the Debian %s.timer gives the next 20 instants systemd-analyze gives for its OnCalendar=',
    (name) => {
      const text = readFileSync(`${FIXTURES}${name}.timer`, 'utf8');
      const calendar = /^OnCalendar=(.*)$/m.exec(text)![1]!;
      const schedule = importedTimer(`${name}.timer`).jobs[0]!.content.schedule as string;
      expect(instants(schedule, 'UTC', 20)).toEqual(systemdInstants(calendar, 20));
    },
  );

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
    ['Fri..Mon 12:00', /^weekdays "Fri\.\.Mon": systemd refuses a range that goes backwards in a Monday-to-Sunday week \(it does not wrap\), so the timer never loaded; write "Fri\.\.Sun,Mon"$/],
    ['Sat..Tue', /; write "Sat\.\.Sun,Mon\.\.Tue"$/],
  ])('issue 14 import: OnCalendar=%s is refused with the reason', (calendar, reason) => {
    const parsed = calendarToCron(calendar);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(reason);
  });
});
