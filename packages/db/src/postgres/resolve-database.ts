import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { DatabaseSetupError } from "../errors.ts";
import { ensurePrivateDir, localDataDir, localSecret } from "../local-data.ts";
import { LEGACY_EMBEDDED_PASSWORD, startEmbeddedPostgres } from "./embedded-postgres.ts";

export type ResolvedDatabase = {
  url: string;
  isEmbedded: boolean;
  /** Stops the embedded server; a no-op for an external DATABASE_URL. */
  stop: () => Promise<void>;
};

export function parseDatabaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DatabaseSetupError(
      "INVALID_DATABASE_URL",
      "DATABASE_URL is not a valid URL (expected postgresql://user:password@host:port/database)",
    );
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    throw new DatabaseSetupError(
      "INVALID_DATABASE_URL",
      `DATABASE_URL must start with postgresql:// (got ${url.protocol}//)`,
    );
  }
  if (url.pathname.length <= 1) {
    throw new DatabaseSetupError(
      "INVALID_DATABASE_URL",
      "DATABASE_URL names no database (expected .../<database> at the end)",
    );
  }
  return url;
}

/** Fails fast, in a few seconds, with a message that says which server could not be reached. */
export async function assertDatabaseReachable(databaseUrl: string): Promise<void> {
  const url = parseDatabaseUrl(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    const where = `${url.hostname}:${url.port || 5432}${url.pathname}`;
    throw new DatabaseSetupError(
      "DATABASE_UNREACHABLE",
      `cannot connect to the database at ${where}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * DATABASE_URL when set (checked), otherwise an embedded PostgreSQL whose data lives in
 * `<root>/.data/postgres` (DATA_DIR, EMBEDDED_PG_DATA_DIR) and survives restarts. Its superuser
 * password is this installation's own, kept in `.data/secrets.json`; a cluster made with the
 * constant password of earlier versions is moved to it.
 */
export async function resolveDatabase(options: {
  rootDir: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): Promise<ResolvedDatabase> {
  const env = options.env ?? process.env;
  if (env.DATABASE_URL) {
    await assertDatabaseReachable(env.DATABASE_URL);
    return { url: env.DATABASE_URL, isEmbedded: false, stop: async () => {} };
  }
  const port = Number(env.EMBEDDED_PG_PORT ?? 54320);
  const localData = localDataDir(options.rootDir, env);
  const dataDir = env.EMBEDDED_PG_DATA_DIR ?? path.join(localData, "postgres");
  ensurePrivateDir(localData);
  const server = await startEmbeddedPostgres({
    dataDir,
    port,
    database: "mammo",
    log: options.log,
    password: localSecret(localData, "postgresPassword"),
    previousPassword: existsSync(path.join(dataDir, "PG_VERSION")) ? LEGACY_EMBEDDED_PASSWORD : undefined,
  });
  return { url: server.url, isEmbedded: true, stop: server.stop };
}
