import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Colours off in test output and in everything the tests spawn (chalk and vitest ignore pipes).
    env: { NO_COLOR: '1', FORCE_COLOR: '0' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores in CI: keep file-level parallelism modest, since many tests spawn servers and processes.
    maxWorkers: 2,
  },
});
