import { spawnSync } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { repoRoot } from "@mammo/db";
import { findFreePort } from "@mammo/db/testing";
import { describe, expect, it } from "vitest";

// `npm start` in a bad environment: one clear line on stderr and a non-zero exit, fast.
function start(env: NodeJS.ProcessEnv) {
  const result = spawnSync(
    process.execPath,
    [path.join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        NEXTAUTH_SECRET: "test-secret-0123456789abcdef",
        DEID_SECRET: "test-deid-0123456789abcdef",
        ...env,
      },
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  const errors = result.stderr.split("\n").filter((l) => l.startsWith("[start] error:"));
  return { status: result.status, errors, stderr: result.stderr };
}

describe("npm start refuses a bad environment", () => {
  it("an invalid DATABASE_URL", async () => {
    const ports = { API_PORT: String(await findFreePort()), WEB_PORT: String(await findFreePort()) };
    const result = start({ ...ports, DATABASE_URL: "mysql://root@localhost/db" });
    expect(result.status).toBe(1);
    expect(result.errors).toEqual(["[start] error: DATABASE_URL must start with postgresql:// (got mysql://)"]);
  });

  it("an unreachable DATABASE_URL", async () => {
    const ports = { API_PORT: String(await findFreePort()), WEB_PORT: String(await findFreePort()) };
    const dbPort = await findFreePort();
    const result = start({ ...ports, DATABASE_URL: `postgresql://u:p@127.0.0.1:${dbPort}/mammo` });
    expect(result.status).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(new RegExp(`cannot connect to the database at 127.0.0.1:${dbPort}/mammo`));
  });

  it("an unwritable data directory", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const os = await import("node:os");
    const blocker = path.join(mkdtempSync(path.join(os.tmpdir(), "mammo-start-")), "a-file");
    writeFileSync(blocker, "x");
    const result = start({
      API_PORT: String(await findFreePort()),
      WEB_PORT: String(await findFreePort()),
      DATABASE_URL: "",
      EMBEDDED_PG_DATA_DIR: path.join(blocker, "postgres"),
      EMBEDDED_PG_PORT: String(await findFreePort()),
    });
    expect(result.status).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^\[start\] error: data directory .*a-file\/postgres is not writable/);
  });

  it("a port already in use", async () => {
    const apiPort = await findFreePort();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(apiPort, "127.0.0.1", resolve));
    try {
      const result = start({ API_PORT: String(apiPort), WEB_PORT: String(await findFreePort()) });
      expect(result.status).toBe(1);
      expect(result.errors).toEqual([
        `[start] error: port ${apiPort} (API) is already in use: stop the other process or choose another port`,
      ]);
    } finally {
      blocker.close();
    }
  });

  it("a port that browsers and fetch refuse (4190, on the Fetch standard's blocking list)", async () => {
    // Before, start waited 300 s for an API it could not reach, then blamed the API.
    const dbPort = await findFreePort();
    const result = start({
      API_PORT: "4190",
      WEB_PORT: String(await findFreePort()),
      DATABASE_URL: `postgresql://u:p@127.0.0.1:${dbPort}/mammo`,
    });
    expect(result.status).toBe(1);
    expect(result.errors).toEqual([
      "[start] error: port 4190 (API) is one that browsers and fetch refuse to connect to: choose another port",
    ]);
  });
});
