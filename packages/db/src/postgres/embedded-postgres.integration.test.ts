import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabaseSetupError } from "../errors.ts";
import { findFreePort } from "../testing/free-port.ts";
import { clusterDirFor, startEmbeddedPostgres } from "./embedded-postgres.ts";
import { assertDatabaseReachable, parseDatabaseUrl, resolveDatabase } from "./resolve-database.ts";

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatabaseSetupError);
  return (error as DatabaseSetupError).code;
}

describe("the embedded PostgreSQL of `npm start`", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "mammo-embedded-"));
    await chmod(dir, 0o755);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps its data across restarts", async () => {
    const options = { dataDir: path.join(dir, "data"), port: await findFreePort(), database: "mammo" };
    const first = await startEmbeddedPostgres(options);
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    await client.query("CREATE TABLE kept (value text)");
    await client.query("INSERT INTO kept VALUES ('still here')");
    await client.end();
    await first.stop();

    const second = await startEmbeddedPostgres(options);
    const again = new pg.Client({ connectionString: second.url });
    await again.connect();
    const { rows } = await again.query("SELECT value FROM kept");
    await again.end();
    await second.stop();
    expect(rows).toEqual([{ value: "still here" }]);
  });

  it("says so in one line when its port is taken", async () => {
    const blocker = net.createServer();
    const port = await findFreePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const error = await startEmbeddedPostgres({ dataDir: path.join(dir, "busy"), port, database: "mammo" }).catch(
        (e: Error) => e,
      );
      expect((error as DatabaseSetupError).code).toBe("PORT_IN_USE");
      expect((error as Error).message).toMatch(new RegExp(`^port ${port} \\(embedded PostgreSQL\\) is already in use`));
      expect((error as Error).message).not.toContain("\n");
    } finally {
      blocker.close();
    }
  });

  it("says so when the data directory cannot be created", async () => {
    // A regular file where a directory must be: fails for root and normal users alike.
    const blocker = path.join(dir, "not-a-directory");
    await writeFile(blocker, "x");
    const dataDir = path.join(blocker, "postgres");
    expect(await codeOf(startEmbeddedPostgres({ dataDir, port: await findFreePort(), database: "mammo" }))).toBe(
      "DATA_DIR_UNWRITABLE",
    );
  });
});

// `npm start` from a checkout others cannot enter (a container's /root, any mktemp -d), as root:
// PostgreSQL runs as the OS user "postgres", who cannot reach the data directory there.
describe.skipIf(os.userInfo().uid !== 0)("the embedded PostgreSQL as root in a folder others cannot enter", () => {
  it("starts anyway, keeping the cluster in a folder the postgres user owns, the same one on the next start", async () => {
    const closed = await mkdtemp(path.join(os.tmpdir(), "mammo-closed-")); // 0700, owned by root
    const dataDir = path.join(closed, ".data", "postgres");
    const lines: string[] = [];
    const options = { dataDir, port: await findFreePort(), database: "mammo", log: (l: string) => lines.push(l) };
    try {
      const first = await startEmbeddedPostgres(options);
      expect(first.dataDir).toBe(clusterDirFor(dataDir));
      expect(lines.join("\n")).toContain(`is not reachable by the OS user "postgres"`);
      const client = new pg.Client({ connectionString: first.url });
      await client.connect();
      await client.query("CREATE TABLE kept (value text)");
      await client.end();
      await first.stop();
      const second = await startEmbeddedPostgres(options);
      const again = new pg.Client({ connectionString: second.url });
      await again.connect();
      expect((await again.query("SELECT count(*)::int AS n FROM kept")).rows).toEqual([{ n: 0 }]);
      await again.end();
      await second.stop();
    } finally {
      await rm(closed, { recursive: true, force: true });
      await rm(clusterDirFor(dataDir), { recursive: true, force: true });
    }
  });
});

describe("DATABASE_URL", () => {
  it("rejects what is not a PostgreSQL URL, naming the problem", () => {
    expect(() => parseDatabaseUrl("not a url")).toThrow(/DATABASE_URL is not a valid URL/);
    expect(() => parseDatabaseUrl("mysql://x@localhost/db")).toThrow(/must start with postgresql:\/\//);
    expect(() => parseDatabaseUrl("postgresql://x@localhost")).toThrow(/names no database/);
  });

  it("fails in one line when the server cannot be reached", async () => {
    const port = await findFreePort(); // nothing listens there
    const error = await assertDatabaseReachable(`postgresql://u:p@127.0.0.1:${port}/mammo`).catch((e: Error) => e);
    expect((error as DatabaseSetupError).code).toBe("DATABASE_UNREACHABLE");
    expect((error as Error).message).toMatch(new RegExp(`^cannot connect to the database at 127.0.0.1:${port}/mammo`));
  });

  it("gives up on a server that accepts the connection and never answers, instead of waiting for ever", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket)); // reads the startup message, says nothing
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const error = await assertDatabaseReachable(`postgresql://u:p@127.0.0.1:${port}/mammo`).catch((e: Error) => e);
      expect((error as DatabaseSetupError).code).toBe("DATABASE_UNREACHABLE");
      expect((error as Error).message).toMatch(/^cannot connect to the database at 127\.0\.0\.1:\d+\/mammo: .*timeout/);
      expect(sockets).toHaveLength(1); // one attempt, no retry loop
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("is used as given instead of the embedded server", async () => {
    const { inject } = await import("vitest");
    const database = await resolveDatabase({
      rootDir: "/nonexistent",
      env: { DATABASE_URL: inject("testDatabaseAdminUrl") },
    });
    expect(database.isEmbedded).toBe(false);
    expect(database.url).toBe(inject("testDatabaseAdminUrl"));
  });
});
