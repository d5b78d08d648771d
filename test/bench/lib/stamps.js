// The measuring command and its output: each run appends "<job> <scheduledAt ISO> <start ns>"
// to a file, so lateness is taken from the real process start, not from anyone's log.
import { readFileSync, existsSync } from 'node:fs';
import { summarize } from './stats.js';

/** The shell command every system under test runs; `file` must not contain spaces or quotes. */
export function stampCommand(file) {
  return `echo "$JOBD_JOB_ID $JOBD_SCHEDULED_AT $(date +%s%N)" >> ${file}`;
}

/** Parsed stamp lines: { job, scheduledMs, startMs }. */
export function readStamps(file) {
  if (!existsSync(file)) return [];
  const stamps = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [job, scheduledIso, startNs] = line.split(' ');
    if (!job || !scheduledIso || !startNs) continue;
    stamps.push({ job, scheduledMs: Date.parse(scheduledIso), startMs: Number(BigInt(startNs) / 1000n) / 1000 });
  }
  return stamps;
}

/**
 * Compares stamps with the fires that were due: lateness of each first start, missed fires,
 * duplicate fires, and per due instant the lateness of the last start (a burst's length).
 * Stamps outside the expected set are ignored (fires before or after the measured window).
 */
export function analyzeStamps(stamps, expected) {
  const due = new Map(expected.map((e) => [`${e.job}@${e.scheduledMs}`, 0]));
  const lateness = [];
  const lastByInstant = new Map();
  const laterByDue = [];
  let duplicates = 0;
  for (const s of stamps) {
    const key = `${s.job}@${s.scheduledMs}`;
    if (!due.has(key)) continue;
    const seen = due.get(key);
    due.set(key, seen + 1);
    if (seen > 0) {
      duplicates += 1;
      continue;
    }
    const late = s.startMs - s.scheduledMs;
    lateness.push(late);
    laterByDue.push([s.scheduledMs, late]);
    lastByInstant.set(s.scheduledMs, Math.max(lastByInstant.get(s.scheduledMs) ?? -Infinity, late));
  }
  const missed = [...due.values()].filter((n) => n === 0).length;
  return { ...summarize(lateness), lateness, laterByDue, missed, duplicates, expected: expected.length, lastByInstant };
}
