import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../src/types.js';
import { translateCrontab } from '../../../src/import/crontab.js';
import { calendarToCron } from '../../../src/import/systemd-calendar.js';
import { translateTimer } from '../../../src/import/systemd.js';
import { normalizeJob } from '../../../src/job/normalize.js';
import { parseSchedule } from '../../../src/schedule/parse-schedule.js';
import { cronExpression } from '../schedule/cron-arbitrary.js';
import { timed } from '../timed.js';

// Every job a translator writes must load as jobd loads a job file.
function expectValidJobs(result: ImportResult): void {
  const ids = result.jobs.map((job) => job.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const job of result.jobs) {
    expect(job.content.id).toBe(job.id);
    const loaded = normalizeJob({ raw: job.content, file: `/jobs/${job.id}.json`, defaultZone: 'UTC', cwd: '/' });
    expect(loaded.ok, `${JSON.stringify(job.content)}: ${JSON.stringify(loaded)}`).toBe(true);
  }
  for (const note of result.notes) expect(note.message.length).toBeGreaterThan(0);
}

const word = fc.stringMatching(/^[a-zA-Z0-9_./$%\\'"-]{1,12}$/);
const command = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join(' '));
const crontabLine = fc.oneof(
  fc.tuple(cronExpression.filter((text) => text.split(' ').length === 5), command).map(([when, what]) => `${when} ${what}`),
  fc.tuple(fc.constantFrom('@reboot', '@hourly', '@daily', '@weekly', '@monthly', '@yearly', '@annually', '@midnight', '@every', '@often'), command).map(([when, what]) => `${when} ${what}`),
  fc.tuple(fc.constantFrom('MAILTO', 'SHELL', 'PATH', 'CRON_TZ', 'TZ', 'HOME', 'RANDOM_DELAY', 'X'), fc.constantFrom('', 'root', '/bin/bash', 'Europe/Paris', 'Mars/Base', '30', '"quoted"', '/usr/bin:/bin')).map(([name, value]) => `${name}=${value}`),
  word.map((text) => `# ${text}`),
  fc.string({ maxLength: 40 }),
  fc.constant(''),
);

const calendarPiece = {
  weekdays: fc.constantFrom('', 'Mon ', 'Mon..Fri ', 'Sat,Sun ', 'Fri..Mon ', 'mon,wed ', 'Tue..', 'Xyz '),
  date: fc.constantFrom('', '*-*-* ', '*-*-01 ', '*-02-29 ', '*-*-1..7 ', '2026-12-24 ', '*-01,07-01 ', '*-*~03 ', '*-13-01 ', '*-*-*/2 '),
  time: fc.constantFrom('00:00', '*:00/10', '07..23:30', '6,18:00', '00,12:00:00', '*:*:00', '03:10:00', '25:00', '12:60', '*:09,39', '1:2:3.5', ''),
  zone: fc.constantFrom('', ' UTC', ' Europe/Paris', ' Mars/Base'),
};
const calendar = fc.oneof(
  fc.tuple(calendarPiece.weekdays, calendarPiece.date, calendarPiece.time, calendarPiece.zone).map((parts) => parts.join('')),
  fc.constantFrom('daily', 'weekly', 'hourly', 'minutely', 'monthly', 'yearly', 'quarterly', 'semiannually', 'annually'),
  fc.string({ maxLength: 40 }),
);

describe('issue 14 import: translators never throw, and write only valid jobs (property)', () => {
  it('issue 14 import: a crontab of any lines (user or system) becomes valid jobs and notes, in bounded time', () => {
    fc.assert(
      fc.property(fc.array(crontabLine, { maxLength: 12 }), fc.boolean(), (lines, system) => {
        const text = lines.map((line) => (system && /^[\d*@]/.test(line) ? line.replace(/^(\S+(?: \S+){4}|@\S+) /, '$1 root ') : line)).join('\n');
        const result = timed(() => translateCrontab({ text, source: 'crontab', system, currentUser: 'root' }));
        expectValidJobs(result);
      }),
      { numRuns: 300 },
    );
  });

  it('issue 14 import: OnCalendar= of any text is a cron schedule jobd accepts, or a reason, in bounded time', () => {
    fc.assert(
      fc.property(calendar, (text) => {
        const parsed = timed(() => calendarToCron(text));
        if (!parsed.ok) {
          expect(parsed.message.length).toBeGreaterThan(0);
          expect(parsed.message.length).toBeLessThan(300);
          return;
        }
        const schedule = parseSchedule(parsed.value.timezone === null ? parsed.value.expression : { cron: parsed.value.expression, timezone: parsed.value.timezone }, 'UTC');
        expect(schedule.ok, `${text} → ${JSON.stringify(parsed.value)}: ${JSON.stringify(schedule)}`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('issue 14 import: a timer and service of any settings become valid jobs and notes, in bounded time', () => {
    const timerLine = fc.oneof(
      calendar.map((text) => `OnCalendar=${text}`),
      fc.tuple(fc.constantFrom('OnUnitActiveSec', 'OnUnitInactiveSec', 'OnBootSec', 'RandomizedDelaySec'), fc.constantFrom('15min', '1d', '1h 30min', '0', 'infinity', 'soon', '99999999999d', '500ms')).map(([k, v]) => `${k}=${v}`),
      fc.constantFrom('Persistent=true', 'Persistent=no', 'AccuracySec=1h', 'Unit=other.service', 'Description=a timer'),
    );
    const serviceLine = fc.oneof(
      command.map((text) => `ExecStart=${text}`),
      fc.constantFrom('Type=oneshot', 'User=nobody', 'WorkingDirectory=/srv', 'Environment=A=1 "B=two words"', 'TimeoutStartSec=5min', 'RuntimeMaxSec=infinity', 'TimeoutStopSec=30', 'ExecStartPre=-/bin/true', 'ExecStart=', 'Nice=5'),
    );
    fc.assert(
      fc.property(fc.array(timerLine, { maxLength: 5 }), fc.array(serviceLine, { maxLength: 5 }), (timer, service) => {
        const result = timed(() =>
          translateTimer({
            timer: { name: 'x.timer', source: 'x.timer', text: `[Timer]\n${timer.join('\n')}\n` },
            service: { name: 'x.service', source: 'x.service', text: `[Service]\n${service.join('\n')}\n` },
          }),
        );
        expectValidJobs(result);
      }),
      { numRuns: 300 },
    );
  });
});
