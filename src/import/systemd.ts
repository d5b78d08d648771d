import type { ImportedJob, ImportNote, ImportResult } from '../types.js';
import { sanitizeId, withUniqueIds } from './job-id.js';
import { calendarToCron } from './systemd-calendar.js';
import { serviceFields, type UnitInput } from './systemd-service.js';
import { jobdDuration, parseTimespan } from './systemd-timespan.js';
import { lastSetting, parseUnitFile, settingsOf, type UnitSetting } from './systemd-unit.js';

/** A unit file as the CLI read it. */
export interface UnitText {
  name: string;
  source: string;
  text: string;
}

const TIMER_TRANSLATED = new Set([
  'Unit/Description', 'Unit/Documentation', 'Unit/After', 'Unit/Before', 'Unit/DefaultDependencies',
  'Timer/OnCalendar', 'Timer/OnUnitActiveSec', 'Timer/OnUnitInactiveSec', 'Timer/OnBootSec', 'Timer/OnStartupSec',
  'Timer/OnActiveSec', 'Timer/Persistent', 'Timer/RandomizedDelaySec', 'Timer/Unit', 'Timer/RemainAfterElapse',
]);
const ONCE_KEYS = ['OnBootSec', 'OnStartupSec', 'OnActiveSec'];
const START_OF: Record<string, string> = { OnBootSec: 'boot', OnStartupSec: 'the service manager\'s start', OnActiveSec: 'the timer\'s start' };

/** The service a timer starts: `Unit=` or the timer's own name with `.service`. */
export function serviceNameOf(timer: UnitText): string {
  const unit = lastSetting(parseUnitFile(timer.text), 'Timer', 'Unit')?.value;
  return unit ?? timer.name.replace(/\.timer$/, '.service');
}

/** Translates a .timer and the .service it starts (null: not found) into job files and notes. */
export function translateTimer(input: { timer: UnitText; service: UnitText | null }): ImportResult {
  const { timer } = input;
  const notes: ImportNote[] = [];
  const fail = (line: number, message: string): ImportResult => ({ jobs: [], notes: [...notes, { source: timer.source, line, message }] });
  if (timer.name.includes('@')) return fail(0, 'not imported: a template timer runs once per instance; import an instance\'s units instead');
  if (input.service === null) return fail(0, `not imported: the service it starts (${serviceNameOf(timer)}) was not found beside it`);
  const settings = parseUnitFile(timer.text);
  const schedules = timerSchedules({ settings, source: timer.source, notes });
  if (schedules.length === 0) return fail(0, notes.length > 0 ? 'not imported: none of its schedules can be said in jobd' : 'not imported: it has no OnCalendar= or On…Sec= schedule');
  const service: UnitInput = { name: input.service.name, source: input.service.source, settings: parseUnitFile(input.service.text) };
  const fields = serviceFields(service);
  notes.push(...fields.notes);
  if (!fields.ok) return { jobs: [], notes };
  const timerFields = timerOptions({ settings, source: timer.source, notes });
  const description = fields.fields.description ?? lastSetting(settings, 'Unit', 'Description')?.value;
  const id = sanitizeId(timer.name.replace(/\.timer$/, ''));
  if (schedules.length > 1) notes.push({ source: timer.source, line: schedules[1]!.line, message: `imported as ${schedules.length} jobs, one per schedule; they do not share overlap` });
  const jobs: ImportedJob[] = schedules.map(({ schedule, line }) => ({
    id,
    content: { id, ...(description ? { description } : {}), schedule, ...fields.fields, ...timerFields },
    source: timer.source,
    line,
  }));
  return { jobs: withUniqueIds(jobs), notes };
}

function timerSchedules(input: { settings: UnitSetting[]; source: string; notes: ImportNote[] }): Array<{ schedule: unknown; line: number }> {
  const { settings, source, notes } = input;
  const note = (line: number, message: string): void => {
    notes.push({ source, line, message });
  };
  const schedules: Array<{ schedule: unknown; line: number }> = [];
  for (const setting of settingsOf(settings, 'Timer', 'OnCalendar')) {
    const cron = calendarToCron(setting.value);
    if (!cron.ok) note(setting.line, `OnCalendar=${setting.value} not translated: ${cron.message}`);
    else schedules.push({ schedule: cron.value.timezone ? { cron: cron.value.expression, timezone: cron.value.timezone } : cron.value.expression, line: setting.line });
  }
  const intervals: number[] = [];
  for (const key of ['OnUnitActiveSec', 'OnUnitInactiveSec']) {
    for (const setting of settingsOf(settings, 'Timer', key)) {
      const ms = parseTimespan(setting.value);
      if (ms === null || ms < 1000 || !Number.isFinite(ms)) {
        note(setting.line, `${key}=${setting.value} not translated: expected a time span of at least 1s, like 5min or 1h 30min`);
        continue;
      }
      if (key === 'OnUnitInactiveSec') note(setting.line, 'OnUnitInactiveSec= counts from the end of each run; jobd\'s interval counts from the start');
      intervals.push(ms);
      schedules.push({ schedule: { every: jobdDuration(ms) }, line: setting.line });
    }
  }
  schedules.push(...startSchedules({ settings, intervals, note }));
  return schedules;
}

/**
 * OnBootSec=, OnStartupSec= and OnActiveSec= count from the start (of the machine, the
 * manager, the timer): with an interval they only place its first run, which in jobd comes
 * one interval after the daemon loads the job; alone, each is a run at every start, jobd's
 * @reboot, which runs at once: a delay is said when it is lost.
 */
function startSchedules(input: { settings: UnitSetting[]; intervals: number[]; note: (line: number, message: string) => void }): Array<{ schedule: unknown; line: number }> {
  const { settings, intervals, note } = input;
  const schedules: Array<{ schedule: unknown; line: number }> = [];
  for (const key of ONCE_KEYS) {
    for (const setting of settingsOf(settings, 'Timer', key)) {
      const ms = parseTimespan(setting.value);
      if (ms === null || !Number.isFinite(ms)) {
        note(setting.line, `${key}=${setting.value} not translated: expected a time span, like 15min`);
        continue;
      }
      if (intervals.length > 0) {
        const first = jobdDuration(Math.min(...intervals));
        if (intervals.some((interval) => interval !== ms)) note(setting.line, `${key}=${setting.value}: the first run comes ${first} (one interval) after jobd starts, not ${jobdDuration(ms)} after ${START_OF[key]}`);
        continue;
      }
      if (ms > 0) note(setting.line, `${key}=${setting.value} imported as "@reboot": a run each time jobd starts, at once; the ${jobdDuration(ms)} delay after ${START_OF[key]} is not kept`);
      schedules.push({ schedule: '@reboot', line: setting.line });
    }
  }
  return schedules;
}

function timerOptions(input: { settings: UnitSetting[]; source: string; notes: ImportNote[] }): Record<string, unknown> {
  const { settings, source, notes } = input;
  const fields: Record<string, unknown> = {};
  const persistent = lastSetting(settings, 'Timer', 'Persistent');
  if (persistent && /^(?:1|yes|true|on)$/i.test(persistent.value)) fields.catchUp = true;
  const delay = lastSetting(settings, 'Timer', 'RandomizedDelaySec');
  const delayMs = delay ? parseTimespan(delay.value) : null;
  if (delay && (delayMs === null || !Number.isFinite(delayMs))) notes.push({ source, line: delay.line, message: `RandomizedDelaySec=${delay.value} not translated: expected a time span` });
  else if (delayMs !== null && delayMs > 0) fields.jitter = jobdDuration(delayMs);
  for (const setting of settings) {
    const key = `${setting.section}/${setting.key}`;
    if (TIMER_TRANSLATED.has(key) || setting.section === 'Install') continue;
    notes.push({ source, line: setting.line, message: `${setting.key}= not translated: ${timerReason(setting.key)}` });
  }
  return fields;
}

function timerReason(key: string): string {
  if (key === 'AccuracySec') return 'jobd fires on the second, it does not batch wake-ups';
  if (key.startsWith('Condition') || key.startsWith('Assert')) return 'jobd runs the command whatever this condition says';
  return 'jobd has no such setting';
}
