// A small strict validator for the state file. zod belongs to job/; the state file needs
// only a handful of checks, each saying where a value is wrong and what was expected.

/** Checks one value at `path`: null when it has the shape, else one line naming the path and what was expected. */
export type Shape = (value: unknown, path: string) => string | null;

/** One field of an object: its shape, and whether it may be left out. */
export interface Field {
  shape: Shape;
  optional?: boolean;
}

/** Where a key or an index sits below `path`. */
export function below(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

/** The kind of a JSON value, in words, for "expected …, got …". */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length > 40 ? 'a string' : JSON.stringify(value);
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
}

const expected = (path: string, what: string, value: unknown): string => `${path || 'the document'}: expected ${what}, got ${kindOf(value)}`;

/** A string of at most `max` characters. */
export function text(max: number, nonEmpty = false): Shape {
  return (value, path) => {
    if (typeof value !== 'string' || (nonEmpty && value === '')) return expected(path, nonEmpty ? 'a non-empty string' : 'a string', value);
    return value.length <= max ? null : `${path}: expected at most ${max} characters, got ${value.length}`;
  };
}

/** An ISO 8601 instant, as jobd writes them. */
export const instant: Shape = (value, path) =>
  typeof value === 'string' && value.length <= 64 && Number.isFinite(Date.parse(value)) ? null : expected(path, 'an ISO 8601 instant', value);

/** A finite number, at least `min`; whole when `integer`. */
export function num({ min = -Infinity, integer = false }: { min?: number; integer?: boolean } = {}): Shape {
  return (value, path) => {
    const fits = typeof value === 'number' && Number.isFinite(value) && value >= min && (!integer || Number.isSafeInteger(value));
    if (fits) return null;
    return expected(path, `${integer ? 'an integer' : 'a number'}${min > -Infinity ? ` ≥ ${min}` : ''}`, value);
  };
}

export const bool: Shape = (value, path) => (typeof value === 'boolean' ? null : expected(path, 'true or false', value));

/** One of a few literal values. */
export function oneOf(...values: readonly (string | number)[]): Shape {
  const what = values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return (value, path) => (values.includes(value as string | number) ? null : expected(path, what, value));
}

/** null, or a value of `shape`. */
export function nullable(shape: Shape): Shape {
  return (value, path) => (value === null ? null : shape(value, path));
}

/** An array of at most `max` items, each of `shape`. */
export function listOf(shape: Shape, max: number): Shape {
  return (value, path) => {
    if (!Array.isArray(value)) return expected(path, 'an array', value);
    if (value.length > max) return `${path}: expected at most ${max} items, got ${value.length}`;
    for (let i = 0; i < value.length; i += 1) {
      const problem = shape(value[i], below(path, i));
      if (problem) return problem;
    }
    return null;
  };
}

/** An object of at most `max` keys, each value of `shape`. */
export function mapOf(shape: Shape, max: number): Shape {
  return (value, path) => {
    if (!isPlainObject(value)) return expected(path, 'an object', value);
    const keys = Object.keys(value);
    if (keys.length > max) return `${path}: expected at most ${max} keys, got ${keys.length}`;
    for (const key of keys) {
      const problem = shape(value[key], below(path, key));
      if (problem) return problem;
    }
    return null;
  };
}

/** How deep a value of a field no shape names may nest: the fields a shape names nest only as deep as the shape. */
export const EXTRA_DEPTH = 16;

/**
 * An object with these fields. Keys it does not name are kept as they are (a newer jobd
 * may add fields), nested at most EXTRA_DEPTH deep: nothing in the document can then nest
 * deeper than the shapes themselves, and every later walk of it (a save, a comparison)
 * stays far from the stack's limit.
 */
export function objectOf(fields: Record<string, Field>): Shape {
  const entries = Object.entries(fields);
  return (value, path) => {
    if (!isPlainObject(value)) return expected(path, 'an object', value);
    for (const [key, field] of entries) {
      if (!(key in value) && field.optional) continue;
      const problem = field.shape(value[key], below(path, key));
      if (problem) return problem;
    }
    for (const key in value) {
      if (Object.hasOwn(fields, key)) continue;
      const problem = tooDeep(value[key], EXTRA_DEPTH, below(path, key));
      if (problem) return problem;
    }
    return null;
  };
}

/** An object whose `key` field picks its shape from `shapes`. */
export function tagged(key: string, shapes: Record<string, Shape>): Shape {
  return (value, path) => {
    if (!isPlainObject(value)) return expected(path, 'an object', value);
    const tag = value[key];
    const shape = typeof tag === 'string' && Object.hasOwn(shapes, tag) ? shapes[tag] : undefined;
    if (!shape) return expected(below(path, key), `one of ${Object.keys(shapes).map((k) => JSON.stringify(k)).join(', ')}`, tag);
    return shape(value, path);
  };
}

/** The first of these shapes the value has, or what the last one said. */
export function either(what: string, ...shapes: Shape[]): Shape {
  return (value, path) => (shapes.some((shape) => shape(value, path) === null) ? null : expected(path, what, value));
}

/** Whether a value is an object that is not an array or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Where the value nests deeper than `max` arrays and objects, or null. Walked with a list
 * rather than recursion, so a value 100,000 deep costs a loop, not the stack.
 */
export function tooDeep(value: unknown, max: number, path: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const item = values.pop()! as Record<string, unknown>;
    const depth = depths.pop()!;
    if (depth > max) return `${path}: expected a value nested at most ${max} levels deep`;
    for (const key in item) {
      const child = item[key];
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return null;
}
