import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// e2e tests run against the real platform (PostgreSQL, API, production build of the web app,
// worker) started by tests/e2e/serve.ts on ports of their own, with fresh demo data.
export const E2E_WEB_PORT = Number(process.env.E2E_WEB_PORT ?? 3100);
export const E2E_API_PORT = Number(process.env.E2E_API_PORT ?? 4100);
/** The platform's DATA_DIR during the run: a fresh one, as in a new clone (removed afterwards). */
export const E2E_DATA_DIR = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `mammo-e2e-${E2E_WEB_PORT}`);

// Debian's Chromium where it is installed (these machines cannot download Playwright's own).
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const executablePath = process.env.CHROMIUM_PATH ?? systemChromium;

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.e2e.ts",
  outputDir: "test-results/e2e",
  // Limits on how long a state may take to arrive, not speed checks: generous, because on a loaded
  // 2-core machine a starved Chromium took over 15 s to draw a case page (each keystroke 2 s).
  timeout: 240_000,
  expect: { timeout: 60_000 },
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${E2E_WEB_PORT}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "npx tsx tests/e2e/serve.ts",
    url: `http://localhost:${E2E_WEB_PORT}/sign-in`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    env: { E2E_WEB_PORT: String(E2E_WEB_PORT), E2E_API_PORT: String(E2E_API_PORT), E2E_DATA_DIR },
  },
});
