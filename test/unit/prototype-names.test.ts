import { describe, expect, it } from 'vitest';
import { parseEventsQuery } from '../../src/control/events-query.js';
import { translateCrontab } from '../../src/import/crontab.js';
import { calendarToCron } from '../../src/import/systemd-calendar.js';
import { parseDuration } from '../../src/job/duration.js';
import { parseSchedule } from '../../src/schedule/parse-schedule.js';

// Words that name members of Object.prototype: a table lookup on a plain object finds them.
const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

describe('inputs that name Object.prototype members are ordinary unknown words', () => {
  it.each(NAMES)('issue 14: OnCalendar=%s is a reason, not a crash', (name) => {
    const parsed = calendarToCron(name);
    expect(parsed.ok).toBe(false);
  });

  it.each(NAMES)('issue 14: a crontab line "@%s cmd" is a note, not a job and not a crash', (name) => {
    const result = translateCrontab({ text: `@${name} echo hi\n`, source: 'crontab', system: false, currentUser: 'root' });
    expect(result.jobs).toEqual([]);
    expect(result.notes).toHaveLength(1);
  });

  it.each(NAMES)('issue 14: schedule "%s", "@%s" and duration "1%s" are problems', (name) => {
    expect(parseSchedule(name, 'UTC').ok).toBe(false);
    expect(parseSchedule(`@${name}`, 'UTC').ok).toBe(false);
    expect(parseDuration(`1${name}`).ok).toBe(false);
  });

  it.each(NAMES)('issue 14: GET /events?level=%s is a 400 naming the parameter', (name) => {
    const parsed = parseEventsQuery(new URLSearchParams({ level: name }), { now: Date.now(), maxEvents: 10_000 });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/level/);
  });
});
