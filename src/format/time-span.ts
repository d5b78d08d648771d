const UNITS: ReadonlyArray<readonly [string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];

/** A span in its largest unit or two: `5m`, `1h20m`, `12s`, `350ms`. */
export function shortSpan(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)}ms`;
  for (let i = 0; i < UNITS.length; i += 1) {
    const [unit, size] = UNITS[i]!;
    if (abs < size) continue;
    const whole = Math.floor(abs / size);
    const next = UNITS[i + 1];
    const rest = next ? Math.floor((abs - whole * size) / next[1]) : 0;
    return rest > 0 && whole < 10 ? `${whole}${unit}${rest}${next![0]}` : `${whole}${unit}`;
  }
  return `${Math.floor(abs / 1000)}s`;
}

/** `in 5m` for an instant ahead, `5m ago` for one past, from `now`. */
export function relativeTime(iso: string | null, now: number): string {
  if (iso === null) return '—';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const delta = at - now;
  if (Math.abs(delta) < 1000) return 'now';
  return delta > 0 ? `in ${shortSpan(delta)}` : `${shortSpan(delta)} ago`;
}
