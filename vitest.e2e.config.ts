import { defineConfig } from 'vitest/config';

// End-to-end tests drive Debian's Chromium against browser mode; one file at a time
// because the machine has two cores and each file starts a server and a browser.
export default defineConfig({
  test: {
    globalSetup: ['test/tempRoot.ts'],
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
