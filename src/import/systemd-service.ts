import type { ImportNote } from '../types.js';
import { environmentOf, execCommand } from './systemd-exec.js';
import { parseTimespan, jobdDuration } from './systemd-timespan.js';
import { lastSetting, settingsOf, type UnitSetting } from './systemd-unit.js';

/** A unit file's name (`backup.service`), where it was read from, and its parsed settings. */
export interface UnitInput {
  name: string;
  source: string;
  settings: UnitSetting[];
}

/** The job fields a .service gives, or why it cannot be imported. */
export type ServiceFields = { ok: true; fields: Record<string, unknown>; notes: ImportNote[] } | { ok: false; notes: ImportNote[] };

// Read by the translation itself; no note for these.
const TRANSLATED = new Set([
  'Unit/Description', 'Unit/Documentation', 'Unit/After', 'Unit/Before', 'Unit/DefaultDependencies',
  'Service/Type', 'Service/ExecStart', 'Service/ExecStartPre', 'Service/ExecStartPost', 'Service/WorkingDirectory',
  'Service/Environment', 'Service/TimeoutStartSec', 'Service/TimeoutSec', 'Service/RuntimeMaxSec', 'Service/TimeoutStopSec',
  'Service/RemainAfterExit',
]);

const REASONS: Array<[RegExp, string]> = [
  [/^Service\/(User|Group|DynamicUser|SupplementaryGroups)$/, 'jobd runs every command as the user it runs as'],
  [/^Service\/EnvironmentFile$/, 'jobd does not read environment files; put the variables in "env"'],
  [/^Unit\/(Condition|Assert)/, 'jobd runs the command whatever this condition says'],
  [/^Unit\/(Wants|Requires|Requisite|BindsTo|PartOf|Upholds|Conflicts|OnFailure|OnSuccess)$/, 'jobd starts no other units'],
  [/^Service\/(ExecStop|ExecStopPost|ExecReload|ExecCondition)$/, 'jobd runs only the start commands'],
  [/^Service\/(Restart|RestartSec|RestartSteps|RestartMaxDelaySec|RestartPreventExitStatus)$/, 'use "retries" and "retryDelay" in jobd'],
  [/^Service\/SuccessExitStatus$/, 'jobd counts only exit code 0 as ok'],
  [/^Service\/(StandardOutput|StandardError|StandardInput|SyslogIdentifier|SyslogFacility|SyslogLevel|LogLevelMax)$/, "a run's output goes to jobd's log as run.output events"],
  [/^Service\/(KillMode|KillSignal|SendSIGKILL|FinalKillSignal)$/, 'jobd stops the whole process group with SIGTERM, then SIGKILL after "killGrace"'],
];

/** Translates the [Service] (and [Unit]) of a timer's service into job fields and notes. */
export function serviceFields(unit: UnitInput): ServiceFields {
  const { settings } = unit;
  const notes: ImportNote[] = [];
  const note = (line: number, message: string): void => {
    notes.push({ source: unit.source, line, message });
  };
  const type = lastSetting(settings, 'Service', 'Type')?.value ?? 'simple';
  const main = settingsOf(settings, 'Service', 'ExecStart');
  if (main.length === 0) return { ok: false, notes: [...notes, { source: unit.source, line: 0, message: `not imported: ${unit.name} has no ExecStart=` }] };
  if (main.length > 1 && type !== 'oneshot') {
    return { ok: false, notes: [{ source: unit.source, line: main[1]!.line, message: 'not imported: several ExecStart= lines are only allowed with Type=oneshot' }] };
  }
  if (!['simple', 'exec', 'oneshot'].includes(type)) note(lastSetting(settings, 'Service', 'Type')!.line, `Type=${type} not translated: jobd waits for the command itself to end`);
  const lines = [...settingsOf(settings, 'Service', 'ExecStartPre'), ...main, ...settingsOf(settings, 'Service', 'ExecStartPost')];
  const command = execCommand({ lines, unitName: unit.name });
  if (!command.ok) return { ok: false, notes: [...notes, { source: unit.source, line: command.line, message: `not imported: ${command.message}` }] };
  for (const item of command.notes) note(item.line, item.message);
  const fields: Record<string, unknown> = {};
  const description = lastSetting(settings, 'Unit', 'Description')?.value;
  if (description) fields.description = description;
  fields.command = command.command;
  addWorkingDirectory(fields, settings, note);
  const environment = environmentOf(settingsOf(settings, 'Service', 'Environment'));
  for (const item of environment.notes) note(item.line, item.message);
  if (Object.keys(environment.env).length > 0) fields.env = environment.env;
  addDurations({ fields, settings, type, note });
  noteUntranslated(settings, note);
  return { ok: true, fields, notes };
}

function addWorkingDirectory(fields: Record<string, unknown>, settings: UnitSetting[], note: (line: number, message: string) => void): void {
  const setting = lastSetting(settings, 'Service', 'WorkingDirectory');
  if (!setting) return;
  const directory = setting.value.replace(/^-/, '');
  if (directory.startsWith('/')) fields.cwd = directory;
  else note(setting.line, `WorkingDirectory=${setting.value} not translated: expected an absolute path`);
}

// Type=oneshot: the start timeout bounds the whole run (RuntimeMaxSec= has no effect on it);
// otherwise RuntimeMaxSec= does. TimeoutSec= sets both the start and the stop timeout: of it
// and the specific key, the line further down wins, as systemd reads them in order.
function addDurations(input: { fields: Record<string, unknown>; settings: UnitSetting[]; type: string; note: (line: number, message: string) => void }): void {
  const { fields, settings, note } = input;
  const limit = input.type === 'oneshot' ? lastOf(settings, ['TimeoutStartSec', 'TimeoutSec']) : lastSetting(settings, 'Service', 'RuntimeMaxSec');
  const limitMs = limit ? parseTimespan(limit.value) : null;
  if (limit && limitMs === null) note(limit.line, `${limit.key}=${limit.value} not translated: expected a time span like 5min`);
  // 0 and infinity both mean no limit, as jobd's default.
  else if (limitMs !== null && limitMs > 0 && Number.isFinite(limitMs)) fields.timeout = jobdDuration(Math.max(1, limitMs));
  const stop = lastOf(settings, ['TimeoutStopSec', 'TimeoutSec']);
  const stopMs = stop ? parseTimespan(stop.value) : null;
  if (stop && (stopMs === null || stopMs <= 0 || !Number.isFinite(stopMs))) note(stop.line, `${stop.key}=${stop.value} not translated: jobd always sends SIGKILL after "killGrace"`);
  else if (stopMs !== null) fields.killGrace = jobdDuration(Math.max(1, stopMs));
}

function lastOf(settings: UnitSetting[], keys: string[]): UnitSetting | null {
  const found = keys.map((key) => lastSetting(settings, 'Service', key)).filter((setting): setting is UnitSetting => setting !== null);
  return found.sort((a, b) => a.line - b.line).at(-1) ?? null;
}

// One note per setting with a reason of its own, and one for all the rest (sandboxing, resources, ...).
function noteUntranslated(settings: UnitSetting[], note: (line: number, message: string) => void): void {
  const rest: UnitSetting[] = [];
  for (const setting of settings) {
    const key = `${setting.section}/${setting.key}`;
    if (TRANSLATED.has(key) || setting.section === 'Install') continue;
    const reason = REASONS.find(([pattern]) => pattern.test(key))?.[1];
    if (reason) note(setting.line, `${setting.key}= not translated: ${reason}`);
    else rest.push(setting);
  }
  const names = [...new Set(rest.map((setting) => `${setting.key}=`))];
  if (rest.length > 0) note(rest[0]!.line, `not translated (jobd applies no sandboxing, resource or other unit settings): ${names.join(', ')}`);
}
