const ONCE = 'once at ';

/**
 * A schedule's words with the expression after them, as `jobd status <id>` shows it:
 * `every day at 03:00 (0 3 * * *)`; a zone both carry is said once:
 * `every day at 03:00 (0 3 * * *, Europe/Paris)`. Words that are the expression itself (a shape
 * with no short reading), or none from an older daemon, leave the expression alone.
 */
export function scheduleWithWords(expression: string, words: string | null | undefined): string {
  if (typeof words !== 'string' || words === '' || words === expression) return expression;
  const written = expression.startsWith(ONCE) ? expression.slice(ONCE.length) : expression;
  const zone = / \(([^()]+)\)$/.exec(written)?.[1];
  const suffix = ` (${zone})`;
  if (zone !== undefined && words.endsWith(suffix)) {
    return `${words.slice(0, -suffix.length)} (${written.slice(0, -suffix.length)}, ${zone})`;
  }
  return `${words} (${written})`;
}
