import fc from 'fast-check';

// Fields built per position from the pieces croner knows, mostly in range and sometimes
// just outside it (or far outside), so both accepted and refused expressions come up.
const RANGES: Array<[min: number, max: number, names: string[]]> = [
  [0, 59, []], [0, 23, []], [1, 31, ['L', 'LW', '15W', '0W', '32W']], [1, 12, ['JAN', 'dec']], [0, 7, ['SUN', 'fri', '5L', '8L', '1#2', '5#6', 'FRI#L']],
];
const SECONDS: [number, number, string[]] = [0, 59, []];

function fieldOf([min, max, names]: [number, number, string[]]): fc.Arbitrary<string> {
  const value = fc.oneof({ weight: 8, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1, 99999) })
    .map((n) => (n < 0 ? '-1' : String(n)));
  const step = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: max - min + 1 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 61) });
  const item = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('*', '?') },
    { weight: 4, arbitrary: value },
    { weight: 2, arbitrary: fc.tuple(value, value).map(([a, b]) => `${a}-${b}`) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('*', `${min}-${max}`), step).map(([base, n]) => `${base}/${n}`) },
    { weight: names.length > 0 ? 1 : 0, arbitrary: names.length > 0 ? fc.constantFrom(...names) : fc.constant('*') },
  );
  return fc.array(item, { minLength: 1, maxLength: 3 }).map((items) => items.join(','));
}

/** 5- or 6-field cron expressions, croner-valid or not. */
export const cronExpression = fc.oneof(
  fc.tuple(...RANGES.map(fieldOf)),
  fc.tuple(fieldOf(SECONDS), ...RANGES.map(fieldOf)),
).map((fields) => fields.join(' '));

