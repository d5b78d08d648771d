import { expect } from 'vitest';

/** Runs `run` and fails the test when it takes longer than `budgetMs`: far above one call, well below a stall. */
export function timed<T>(run: () => T, budgetMs = 250): T {
  const started = performance.now();
  const result = run();
  expect(performance.now() - started).toBeLessThan(budgetMs);
  return result;
}
