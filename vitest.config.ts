import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/tempRoot.ts'],
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
