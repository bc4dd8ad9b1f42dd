// Starts the platform for the e2e run: `npm start`'s own script, on test ports, with fresh
// state (a throw-away embedded PostgreSQL, or a new database on DATABASE_URL's server) and a
// temporary blob store. Stops it all on SIGTERM.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureDatabaseExists, repoRoot } from "@mammo/db";
import { findFreePort } from "@mammo/db/testing";

const dir = mkdtempSync(path.join(os.tmpdir(), "mammo-e2e-"));
chmodSync(dir, 0o755); // as root, the "postgres" OS user must reach the data directory

const env: NodeJS.ProcessEnv = {
  ...process.env,
  API_PORT: process.env.E2E_API_PORT ?? "4100",
  WEB_PORT: process.env.E2E_WEB_PORT ?? "3100",
  BLOB_DIR: path.join(dir, "blobs"),
  NEXTAUTH_SECRET: "e2e-session-secret-0123456789abcdef",
  DEID_SECRET: "e2e-deid-secret-0123456789abcdef",
  NEXTAUTH_URL: `http://localhost:${process.env.E2E_WEB_PORT ?? "3100"}`,
};

if (process.env.DATABASE_URL) {
  const name = `mammo_e2e_${process.pid}`;
  await ensureDatabaseExists(process.env.DATABASE_URL, name);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
} else {
  env.EMBEDDED_PG_DATA_DIR = path.join(dir, "postgres");
  env.EMBEDDED_PG_PORT = String(await findFreePort());
}

// `node --import tsx`, not the tsx CLI, whose relay of Playwright's SIGTERM turns into a SIGKILL
// on a loaded machine (start.ts then cannot stop the platform, which outlives the run).
const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
  cwd: repoRoot,
  env,
  stdio: "inherit",
});
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(code ?? 0);
});
