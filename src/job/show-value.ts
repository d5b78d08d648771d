const MAX_SHOWN = 60;

/** A received value as a message shows it: JSON (`"5 minutes"`, `42`, `[1,2]`), cut short when long. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > MAX_SHOWN ? `${json.slice(0, MAX_SHOWN - 1)}…` : json;
}

const MAX_KEY_SHOWN = 64;

/** A key of a received object as a path shows it: a key can be as long as the file, a path is part of one log line. */
export function showKey(key: string): string {
  return key.length > MAX_KEY_SHOWN ? `${key.slice(0, MAX_KEY_SHOWN - 1)}…` : key;
}
