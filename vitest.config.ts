import { createRequire } from "node:module";
import os from "node:os";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

// Test tiers by file suffix: *.test.ts (unit, no database), *.integration.test.ts (real
// PostgreSQL: one per run, a fresh database per test file). Browser tests are Playwright's
// (tests/e2e, `npm run test:e2e`).
const exclude = ["**/node_modules/**", "**/.next/**", "tools/**", ".data/**"];

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS entry for the libraries (Apollo, Pothos); Vite would pick its
    // ESM entry for our own code: two copies of graphql break `instanceof`. Use one.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [
            "apps/*/src/**/*.test.ts",
            "packages/*/src/**/*.test.ts",
            "packages/*/test/**/*.test.ts",
            "apps/*/test/**/*.test.ts",
            "tests/architecture/**/*.test.ts",
          ],
          exclude: [...exclude, "**/*.integration.test.ts"],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: [
            "apps/*/src/**/*.integration.test.ts",
            "packages/*/src/**/*.integration.test.ts",
            "apps/*/test/**/*.integration.test.ts",
            "packages/*/test/**/*.integration.test.ts",
            "tests/start/**/*.integration.test.ts",
            "tests/integration/**/*.integration.test.ts",
          ],
          exclude,
          globalSetup: ["packages/db/src/testing/global-setup.ts"],
          // Most of these files wait on PostgreSQL, Orthanc or child processes rather than compute:
          // two at a time even on 2 cores (Vitest's default there is one). Each file has its own
          // database and free ports, so they do not meet.
          maxWorkers: Math.max(2, os.availableParallelism() - 1),
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
