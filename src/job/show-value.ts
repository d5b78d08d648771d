const MAX_SHOWN = 60;

/** A received value as a message shows it: JSON (`"5 minutes"`, `42`, `[1,2]`), cut short when long. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > MAX_SHOWN ? `${json.slice(0, MAX_SHOWN - 1)}…` : json;
}
