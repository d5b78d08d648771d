import type { Parsed, Schedule } from '../types.js';
import { closestField } from '../job/did-you-mean.js';
import { parseCron } from './parse-cron.js';
import { hasUtcOffset, looksLikeInstant, parseInstant } from './parse-instant.js';
import { parseEveryField, parseEveryText } from './parse-interval.js';
import { showValue } from '../job/show-value.js';
import { isKnownZone } from './zone.js';

const FORMS =
  'a cron expression ("*/5 * * * *"), a macro ("@daily"), "@every <duration>", ' +
  'an ISO 8601 date-time ("2026-12-01T03:00:00Z"), or an object with cron, every or at';
const OBJECT_FIELDS = ['cron', 'every', 'unit', 'at', 'timezone'];
const KINDS = ['cron', 'every', 'at'] as const;
const INSTANT_EXAMPLES = '"2026-12-01T03:00:00Z" or "2026-12-01T04:00:00+01:00"';
const EVERY_PREFIX = /^@every(?:\s+(.*))?$/i;
/** cron's `@reboot`, and `@start` for what it means here: the daemon's start, not the machine's. */
const AT_START = /^@(reboot|start)$/i;

type Fields = Record<string, unknown>;

/**
 * A schedule value from a job file (SPEC §3) as a `Schedule`. `defaultZone` is
 * `--timezone` (null: system zone). On failure `path` is relative to the value.
 */
export function parseSchedule(raw: unknown, defaultZone: string | null): Parsed<Schedule> {
  if (typeof raw === 'string' && raw.trim() !== '') return parseText(raw.trim(), defaultZone);
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return parseObject(raw as Fields, defaultZone);
  return fail('', `expected ${FORMS}, got ${showValue(raw)}`);
}

function parseText(text: string, zone: string | null): Parsed<Schedule> {
  const every = EVERY_PREFIX.exec(text);
  if (every) return interval(parseEveryText(every[1] ?? ''));
  if (AT_START.test(text)) return { ok: true, value: { kind: 'start' } };
  if (looksLikeInstant(text)) return once(text, zone, '');
  return cron(text, zone, '');
}

function parseObject(fields: Fields, defaultZone: string | null): Parsed<Schedule> {
  const shape = checkShape(fields);
  if (shape) return shape;
  if ('every' in fields) return interval(parseEveryField(fields.every, fields.unit));
  let zone = defaultZone;
  if ('timezone' in fields) {
    const given = fields.timezone;
    if (typeof given !== 'string' || given === '' || !isKnownZone(given)) {
      return fail('timezone', `expected an IANA time zone name such as "Europe/Paris", got ${showValue(given)}`);
    }
    zone = given;
  }
  return 'cron' in fields ? objectCron(fields.cron, zone) : objectOnce(fields.at, zone, 'timezone' in fields);
}

// Unknown fields, no form, two forms, or a field that belongs to another form.
function checkShape(fields: Fields): Parsed<Schedule> | null {
  for (const key of Object.keys(fields)) {
    if (OBJECT_FIELDS.includes(key)) continue;
    const hint = closestField(key, OBJECT_FIELDS);
    const guess = hint ? ` (did you mean "${hint}"?)` : '';
    return fail(key, `unknown field ${showValue(key)}${guess}; a schedule object takes ${OBJECT_FIELDS.join(', ')}`);
  }
  const [first, second] = KINDS.filter((kind) => kind in fields);
  if (first === undefined) {
    const keys = Object.keys(fields);
    const got = keys.length === 0 ? 'an empty object' : `an object with only ${keys.join(', ')}`;
    return fail('', `expected an object with one of cron, every or at, got ${got}`);
  }
  if (second !== undefined) return fail(second, `"${first}" and "${second}" cannot be combined; give exactly one of cron, every, at`);
  if ('unit' in fields && first !== 'every') return fail('unit', `unit goes with every, not with ${first}`);
  if ('timezone' in fields && first === 'every') {
    return fail('timezone', 'an interval keeps its period whatever the zone; timezone goes with cron or at');
  }
  return null;
}

function objectCron(value: unknown, zone: string | null): Parsed<Schedule> {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '' || EVERY_PREFIX.test(text) || looksLikeInstant(text)) {
    return fail('cron', `expected a cron expression such as "0 3 * * *" or a macro such as "@daily", got ${showValue(value)}`);
  }
  return cron(text, zone, 'cron');
}

function objectOnce(value: unknown, zone: string | null, ownZone: boolean): Parsed<Schedule> {
  if (typeof value !== 'string' || value.trim() === '') {
    return fail('at', `expected an ISO 8601 date-time such as ${INSTANT_EXAMPLES}, got ${showValue(value)}`);
  }
  return once(value.trim(), zone, 'at', ownZone);
}

function cron(text: string, zone: string | null, path: string): Parsed<Schedule> {
  const zoneProblem = checkDefaultZone(zone);
  if (zoneProblem) return zoneProblem;
  const expression = parseCron(text, zone);
  if (!expression.ok) return fail(path, expression.message);
  return { ok: true, value: { kind: 'cron', expression: expression.value, timezone: zone } };
}

// `ownZone`: the job named its zone, which then shows the instant even when it carries an offset.
function once(text: string, zone: string | null, path: string, ownZone = false): Parsed<Schedule> {
  const offset = hasUtcOffset(text);
  const zoneProblem = offset ? null : checkDefaultZone(zone);
  if (zoneProblem) return zoneProblem;
  const at = parseInstant(text, zone);
  if (at === null) return fail(path, `expected an ISO 8601 date-time such as ${INSTANT_EXAMPLES}, got ${showValue(text)}`);
  const shownIn = zone !== null && (ownZone || !offset) ? { timezone: zone } : {};
  return { ok: true, value: { kind: 'once', at: new Date(at).toISOString(), ...shownIn } };
}

function interval(every: Parsed<number>): Parsed<Schedule> {
  if (!every.ok) return every;
  return { ok: true, value: { kind: 'interval', everyMs: every.value } };
}

// The file's own zone was checked where it was read, so a problem here is --timezone or TZ,
// reported only where a wall time needs the zone.
function checkDefaultZone(zone: string | null): Parsed<Schedule> | null {
  if (zone === null || isKnownZone(zone)) return null;
  return fail('', `unknown time zone "${zone}" (from --timezone or TZ); expected an IANA name such as "Europe/Paris"`);
}

function fail(path: string, message: string): Parsed<Schedule> {
  return { ok: false, path, message };
}
