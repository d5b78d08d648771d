import type { ImportedJob, ImportNote, ImportResult } from '../types.js';
import { cronExpression, cronMacro } from './cron-fields.js';
import { splitCronCommand, withStdin } from './cron-command.js';
import { parseCrontabLine } from './crontab-line.js';
import { parseSchedule } from '../schedule/parse-schedule.js';
import { isKnownZone } from '../schedule/zone.js';
import { idFromCommand, sanitizeId, withUniqueIds } from './job-id.js';

/** What translateCrontab reads: the text, where it came from, and how to read it. */
export interface CrontabSource {
  text: string;
  /** Shown in notes (`/etc/cron.d/php:3: ...`), `-` for stdin. */
  source: string;
  /** /etc/crontab and /etc/cron.d files: a user column after the time fields. */
  system: boolean;
  /** The user jobd runs as: a line for another user is imported with a note. */
  currentUser: string;
  /** Ids from this name (`php`, `php-2`) instead of from each command: cron.d files. */
  idBase?: string;
}

/** Longer lines are not read: cron's own limit is far below. */
export const MAX_CRONTAB_LINE = 64 * 1024;

const MAIL_VARIABLES = new Set(['MAILTO', 'MAILFROM', 'CONTENT_TYPE', 'CONTENT_TRANSFER_ENCODING']);

interface Context {
  input: CrontabSource;
  env: Record<string, string>;
  shell: string;
  zone: string | null;
  jitterMinutes: number | null;
  comments: string[];
  jobs: ImportedJob[];
  notes: ImportNote[];
}

/** Translates a crontab into job files; every line it cannot say exactly in jobd is a note. */
export function translateCrontab(input: CrontabSource): ImportResult {
  const context: Context = { input, env: {}, shell: '/bin/sh', zone: null, jitterMinutes: null, comments: [], jobs: [], notes: [] };
  const lines = input.text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [index, line] of lines.entries()) readLine(context, line, index + 1);
  return { jobs: withUniqueIds(context.jobs), notes: context.notes };
}

function readLine(context: Context, line: string, number: number): void {
  const note = (message: string): void => {
    context.notes.push({ source: context.input.source, line: number, message });
  };
  if (line.length > MAX_CRONTAB_LINE) {
    context.comments = [];
    return note(`not imported: the line is longer than ${MAX_CRONTAB_LINE} characters`);
  }
  const parsed = parseCrontabLine(line, context.input.system);
  switch (parsed.kind) {
    case 'blank':
      context.comments = [];
      return;
    case 'comment':
      if (parsed.text !== '') context.comments.push(parsed.text);
      return;
    case 'variable':
      context.comments = [];
      return setVariable(context, parsed, note);
    case 'bad':
      context.comments = [];
      return note(`not imported: ${parsed.message}`);
    case 'entry':
      readEntry({ context, entry: parsed, number, note });
      context.comments = [];
  }
}

function setVariable(context: Context, variable: { name: string; value: string }, note: (message: string) => void): void {
  const { name, value } = variable;
  if (MAIL_VARIABLES.has(name)) {
    if (value !== '') note(`${name} not translated: jobd sends no mail; a run's output is in its run.output log events and jobd status`);
    return;
  }
  // cronie's CRON_TZ is the schedule's zone; TZ, as in Debian's cron, only reaches the command's environment.
  if (name === 'CRON_TZ') setZone(context, variable, note);
  if (name === 'SHELL') context.shell = value === '' ? '/bin/sh' : value;
  if (name === 'RANDOM_DELAY') return setRandomDelay(context, value, note);
  if (name === 'CRON_TZ') return;
  context.env = { ...context.env, [name]: value };
}

// A zone jobd cannot convert to would make every following job invalid: those keep the default zone.
function setZone(context: Context, variable: { name: string; value: string }, note: (message: string) => void): void {
  const known = variable.value !== '' && isKnownZone(variable.value);
  if (variable.value !== '' && !known) note(`${variable.name}="${variable.value}" not translated: not a time zone jobd knows (an IANA name such as "Europe/Paris"); the lines after it keep the default zone`);
  context.zone = known ? variable.value : null;
}

// cronie's RANDOM_DELAY: up to this many minutes, the same idea as jobd's jitter.
function setRandomDelay(context: Context, value: string, note: (message: string) => void): void {
  if (/^\d{1,6}$/.test(value)) context.jitterMinutes = Number(value) || null;
  else note(`RANDOM_DELAY not translated: expected a number of minutes, got "${value}"`);
}

function readEntry(input: {
  context: Context;
  entry: { when: string[]; user: string | null; command: string };
  number: number;
  note: (message: string) => void;
}): void {
  const { context, entry, note } = input;
  const schedule = scheduleOf(entry.when, context.zone);
  if (!schedule.ok) return note(`not imported: ${schedule.message}`);
  const { command, stdin } = splitCronCommand(entry.command);
  if (command.trim() === '') return note('not imported: the command before "%" is empty');
  const shellText = stdin === null ? command : withStdin(command, stdin);
  const source = context.input;
  if (entry.user !== null && entry.user !== source.currentUser) {
    note(`imported, but cron ran it as user "${entry.user}"; jobd runs it as "${source.currentUser}"`);
  }
  const id = source.idBase === undefined ? idFromCommand(command) : sanitizeId(source.idBase);
  const content: Record<string, unknown> = { id };
  const description = describe(context.comments, entry.user);
  if (description !== '') content.description = description;
  content.schedule = schedule.value;
  content.command = context.shell === '/bin/sh' ? shellText : [context.shell, '-c', shellText];
  if (Object.keys(context.env).length > 0) content.env = context.env;
  if (context.jitterMinutes !== null) content.jitter = `${context.jitterMinutes}m`;
  context.jobs.push({ id, content, source: source.source, line: input.number });
}

type ScheduleOf = { ok: true; value: string | Record<string, string> } | { ok: false; message: string };

function scheduleOf(when: string[], zone: string | null): ScheduleOf {
  const [first = ''] = when;
  let expression: string;
  if (when.length === 1) {
    // jobd's @reboot runs at the daemon's start, as cron's runs at cron's; a zone changes nothing.
    if (/^@reboot$/i.test(first)) return { ok: true, value: '@reboot' };
    const macro = cronMacro(first);
    if (macro === null) return { ok: false, message: `unknown macro "${first}"; crontab(5) knows @reboot, @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly` };
    expression = macro;
  } else {
    const parsed = cronExpression(when);
    if (!parsed.ok) return { ok: false, message: `${parsed.path}: ${parsed.message}` };
    expression = parsed.value;
  }
  const value = zone === null ? expression : { cron: expression, timezone: zone };
  // jobd's own parser has the last word: what it refuses is reported here, never written.
  const checked = parseSchedule(value, null);
  return checked.ok ? { ok: true, value } : { ok: false, message: checked.message };
}

function describe(comments: string[], user: string | null): string {
  const text = comments.join(' ');
  if (user === null) return text;
  return text === '' ? `cron user: ${user}` : `${text} (cron user: ${user})`;
}
