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

/**
 * The unit project runs its files one after another in the same worker process (`isolate: false`): a fresh
 * module graph per file cost about two thirds of the project's CPU (loading fastify, zod, Fluent and ECharts
 * again for every file). Tests therefore keep no state in modules: each builds its own app, ledger and fakes.
 * Two workers, one per core: the CLI project's spawned processes take turns with them.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: CLI_TESTS, isolate: false } },
      { extends: true, test: { name: "cli", include: CLI_TESTS, globalSetup: ["test/support/build-dist.ts"] } },
    ],
  },
});
