// Starts the platform for the e2e run: `npm start`'s own script, on test ports, with fresh
// state as in a new clone: its own DATA_DIR (secrets, blobs and the embedded PostgreSQL are made
// there by npm start itself), or a new database on DATABASE_URL's server. Stops it all on SIGTERM.
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureDatabaseExists, repoRoot } from "@mammo/db";
import { findFreePort } from "@mammo/db/testing";
import { OIDC_TEST_CLIENT, startOidcTestProvider } from "./support/oidc-test-provider.ts";
import { serveInfoFile } from "./support/serve-info.ts";

const webPort = process.env.E2E_WEB_PORT ?? "3100";
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `mammo-e2e-${webPort}`);
rmSync(dataDir, { recursive: true, force: true });

const env: NodeJS.ProcessEnv = {
  ...process.env,
  API_PORT: process.env.E2E_API_PORT ?? "4100",
  WEB_PORT: webPort,
  DATA_DIR: dataDir,
  NEXTAUTH_URL: `http://localhost:${webPort}`,
};
delete env.NEXTAUTH_SECRET;
delete env.DEID_SECRET;
delete env.BLOB_DIR;
delete env.EMBEDDED_PG_DATA_DIR;

if (process.env.DATABASE_URL) {
  const name = `mammo_e2e_${process.pid}`;
  await ensureDatabaseExists(process.env.DATABASE_URL, name);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
} else {
  env.EMBEDDED_PG_PORT = String(await findFreePort());
}
// Single sign-on against a real OpenID Provider (oidc-provider), started here on a free port.
const oidc = await startOidcTestProvider({ port: await findFreePort(), webOrigin: `http://localhost:${webPort}` });
env.OIDC_ISSUER = oidc.issuer;
env.OIDC_CLIENT_ID = OIDC_TEST_CLIENT.id;
env.OIDC_CLIENT_SECRET = OIDC_TEST_CLIENT.secret;
env.OIDC_NAME = OIDC_TEST_CLIENT.name;
writeFileSync(serveInfoFile(dataDir), JSON.stringify({ embeddedPgPort: env.EMBEDDED_PG_PORT ?? null }));

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
  void oidc.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(serveInfoFile(dataDir), { force: true });
  process.exit(code ?? 0);
});
