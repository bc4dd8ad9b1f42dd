import { createRequire } from "node:module";
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
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
