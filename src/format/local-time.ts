const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * An instant in the local zone with its offset, like systemctl's tables:
 * `Wed 2026-12-02 14:00:00 +01:00`. The offset tells the two passes of a repeated hour apart.
 */
export function localStamp(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '-';
  const east = -d.getTimezoneOffset();
  const sign = east < 0 ? '-' : '+';
  const offset = `${sign}${two(Math.floor(Math.abs(east) / 60))}:${two(Math.abs(east) % 60)}`;
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  return `${WEEKDAYS[d.getDay()]} ${date} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${offset}`;
}
