/** `text` in red for a terminal (the caller decides whether colour is on). */
export function red(text: string): string {
  return `\x1b[31m${text}\x1b[0m`;
}
