/** A crontab command split at its first unescaped `%`: what the shell runs, and the text given on stdin. */
export interface CronCommand {
  command: string;
  stdin: string | null;
}

/**
 * crontab(5): `%` ends the command and the rest is its standard input, with each
 * further `%` a newline; `\%` is a literal `%` in both parts. As cron does it:
 * other backslashes stay as they are.
 */
export function splitCronCommand(text: string): CronCommand {
  const percent = firstUnescapedPercent(text);
  const command = (percent < 0 ? text : text.slice(0, percent)).replace(/\\%/g, '%');
  if (percent < 0) return { command, stdin: null };
  const rest = text.slice(percent + 1).replace(/(\\?)%/g, (_match, escaped: string) => (escaped ? '%' : '\n'));
  return { command, stdin: rest };
}

function firstUnescapedPercent(text: string): number {
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\\') index += 1;
    else if (char === '%') return index;
  }
  return -1;
}

/** `text` as one shell word in single quotes. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The shell text that runs `command` with `stdin` as its standard input, as cron feeds it.
 * The braces keep the whole command (lists, `;`) on the pipe, and the newlines keep a
 * trailing `#` comment or `&` in the command from swallowing the closing brace.
 */
export function withStdin(command: string, stdin: string): string {
  return `printf '%s' ${shellQuote(stdin)} | {\n${command}\n}`;
}
