import { defineConfig } from "vitest/config";

/**
 * Tests that spawn the real CLI (`bin/stockradar.js`). They run in their own project whose global setup
 * compiles the CLI once (test/support/build-dist.ts), so no spawned process pays for tsx.
 */
const CLI_TESTS = [
  "test/backup.test.ts",
  "test/cli.test.ts",
  "test/crash.test.ts",
  "test/lock.test.ts",
  "test/run.test.ts",
  "test/shutdown.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: CLI_TESTS } },
      { extends: true, test: { name: "cli", include: CLI_TESTS, globalSetup: ["test/support/build-dist.ts"] } },
    ],
  },
});
