import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabaseSetupError } from "../errors.ts";
import { findFreePort } from "../testing/free-port.ts";
import { clusterDirFor, LEGACY_EMBEDDED_PASSWORD, startEmbeddedPostgres } from "./embedded-postgres.ts";
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
    const options = {
      dataDir: path.join(dir, "data"),
      port: await findFreePort(),
      database: "mammo",
      password: "kept-across-restarts",
    };
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
      const error = await startEmbeddedPostgres({
        dataDir: path.join(dir, "busy"),
        port,
        database: "mammo",
        password: "x",
      }).catch((e: Error) => e);
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
    expect(
      await codeOf(startEmbeddedPostgres({ dataDir, port: await findFreePort(), database: "mammo", password: "x" })),
    ).toBe("DATA_DIR_UNWRITABLE");
  });
});

// `npm start` from a checkout others cannot enter (a container's /root, any mktemp -d), as root:
// PostgreSQL runs as the OS user "postgres", who cannot reach the data directory there.
describe.skipIf(os.userInfo().uid !== 0)("the embedded PostgreSQL as root in a folder others cannot enter", () => {
  it("starts anyway, keeping the cluster in a folder the postgres user owns, the same one on the next start", async () => {
    const closed = await mkdtemp(path.join(os.tmpdir(), "mammo-closed-")); // 0700, owned by root
    const dataDir = path.join(closed, ".data", "postgres");
    const lines: string[] = [];
    const options = {
      dataDir,
      port: await findFreePort(),
      database: "mammo",
      password: "closed-folder",
      log: (l: string) => lines.push(l),
    };
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

describe("finding 4: the embedded PostgreSQL's superuser password is the installation's own", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "mammo-install-"));
    await chmod(root, 0o755); // as root, the "postgres" OS user passes through it
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const refusesPassword = async (port: number, password: string) => {
    const client = new pg.Client({ connectionString: `postgresql://postgres:${password}@localhost:${port}/postgres` });
    const error = await client.connect().then(
      () => null,
      (e: Error) => e,
    );
    await client.end().catch(() => {});
    return error !== null && /password authentication failed/.test(error.message);
  };

  it("finding 4: a new installation's cluster refuses the old constant; .data and secrets.json are the owner's only", async () => {
    const rootDir = path.join(root, "fresh");
    const port = await findFreePort();
    const database = await resolveDatabase({ rootDir, env: { EMBEDDED_PG_PORT: String(port) } });
    try {
      const secrets = JSON.parse(await readFile(path.join(rootDir, ".data", "secrets.json"), "utf8")) as {
        postgresPassword: string;
      };
      expect(secrets.postgresPassword).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(decodeURIComponent(new URL(database.url).password)).toBe(secrets.postgresPassword);
      expect(await refusesPassword(port, LEGACY_EMBEDDED_PASSWORD)).toBe(true);
      const modes = {
        data: (await stat(path.join(rootDir, ".data"))).mode & 0o777,
        secrets: (await stat(path.join(rootDir, ".data", "secrets.json"))).mode & 0o777,
      };
      // Nobody else may read or write them (as root, .data stays enterable for the postgres user).
      expect(modes).toEqual({ data: os.userInfo().uid === 0 ? 0o711 : 0o700, secrets: 0o600 });
    } finally {
      await database.stop();
    }
  });

  it("a cluster made with the old constant password is moved to the installation's own on its next start", async () => {
    const rootDir = path.join(root, "upgraded");
    const port = await findFreePort();
    const old = await startEmbeddedPostgres({
      dataDir: path.join(rootDir, ".data", "postgres"),
      port,
      database: "mammo",
      password: LEGACY_EMBEDDED_PASSWORD,
    });
    await old.stop();
    const database = await resolveDatabase({ rootDir, env: { EMBEDDED_PG_PORT: String(port) } });
    try {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.end();
      expect(await refusesPassword(port, LEGACY_EMBEDDED_PASSWORD)).toBe(true);
    } finally {
      await database.stop();
    }
  });
});
