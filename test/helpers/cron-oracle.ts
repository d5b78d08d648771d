// An independent reading of crontab(5) time fields, to check imported schedules against:
// written from the man page, not from the importer or croner.

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
const NAMES: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6,
};

function field(text: string, min: number, max: number): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const number = (word: string): number => NAMES[word.toLowerCase()] ?? Number(word);
    const [low, high] = range === '*' ? [min, max] : range.includes('-') ? range.split('-').map(number) : [number(range), number(range)];
    for (let value = low!; value <= high!; value += step) values.add(value);
  }
  return values;
}

/**
 * The next `count` instants after `from` of a crontab schedule, in a zone at a fixed
 * UTC offset (minutes): vixie cron's rule for day of month and day of week, a field
 * starting with `*` counting as unrestricted.
 */
export function cronOracle(when: string, from: number, count: number, offsetMinutes = 0): number[] {
  const [minute = '', hour = '', dom = '', month = '', dow = ''] = (MACROS[when.toLowerCase()] ?? when).split(/\s+/);
  const minutes = [...field(minute, 0, 59)].sort((a, b) => a - b);
  const hours = [...field(hour, 0, 23)].sort((a, b) => a - b);
  const days = field(dom, 1, 31);
  const months = field(month, 1, 12);
  const weekdays = new Set([...field(dow, 0, 7)].map((day) => day % 7));
  const either = !dom.startsWith('*') && !dow.startsWith('*');
  const found: number[] = [];
  const offset = offsetMinutes * 60_000;
  const start = new Date(from + offset);
  for (let day = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()); found.length < count; day += 86_400_000) {
    const date = new Date(day);
    if (date.getUTCFullYear() > start.getUTCFullYear() + 30) break;
    if (!months.has(date.getUTCMonth() + 1)) continue;
    const domMatch = days.has(date.getUTCDate());
    const dowMatch = weekdays.has(date.getUTCDay());
    if (either ? !(domMatch || dowMatch) : !(domMatch && dowMatch)) continue;
    for (const h of hours) {
      for (const m of minutes) {
        const at = day + h * 3_600_000 + m * 60_000 - offset;
        if (at > from && found.length < count) found.push(at);
      }
    }
  }
  return found;
}

/** The time fields of a crontab line, read here and not by the importer: one @word, or the first five words. */
export function timeFieldsOf(line: string): string {
  const words = line.trim().split(/\s+/);
  return words[0]!.startsWith('@') ? words[0]! : words.slice(0, 5).join(' ');
}
