import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // e2e tests spawn real daemons and real commands; two cores are shared by all of them.
    maxWorkers: 2,
  },
});
