// The API runs as a login role of its own with data-only privileges (SELECT, INSERT, UPDATE,
// DELETE; never TRUNCATE, DDL or ownership). The owner of the tables (DATABASE_URL, which runs the
// migrations) could disable the immutability triggers; this role cannot, and it is also refused
// UPDATE and DELETE on the append-only tables outright.
import { createHmac } from "node:crypto";
import pg from "pg";

/** Tables whose rows are never changed after insert (triggers reject it too; see the init migration). */
export const APPEND_ONLY_TABLES = [
  "AuditEvent",
  "Read",
  "DatasetVersion",
  "DatasetItem",
  "ModelVersion",
  "PretrainedWeights",
  "ImageDelivery",
] as const;

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A password for the role derived from the session secret, so nothing more has to be stored. */
export function derivedRolePassword(secret: string, role: string, database: string): string {
  return createHmac("sha256", secret).update(`database-role\u0000${role}\u0000${database}`).digest("base64url");
}

export class DatabaseRoleError extends Error {}

/**
 * Creates (or updates) `role` as a DML-only login on the database of `ownerUrl` and returns the
 * connection URL for it. Idempotent: run at every API start, so tables added by later migrations
 * are covered. Needs an owner with CREATEROLE (a superuser, as the embedded PostgreSQL's is).
 */
export async function provisionDatabaseRole(
  ownerUrl: string,
  options: { role: string; password: string },
): Promise<string> {
  const { role, password } = options;
  if (!ROLE_NAME.test(role)) throw new DatabaseRoleError(`invalid database role name ${JSON.stringify(role)}`);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ owner: string; database: string; isMissing: boolean; hasPgboss: boolean }>(
      `SELECT current_user AS owner, current_database() AS database,
              NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS "isMissing",
              EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss') AS "hasPgboss"`,
      [role],
    );
    const { owner, database, isMissing, hasPgboss } = rows[0]!;
    if (owner === role)
      throw new DatabaseRoleError(`API_DATABASE_ROLE (${role}) must differ from the owner role of DATABASE_URL`);
    const r = client.escapeIdentifier(role);
    const statements = [
      isMissing ? `CREATE ROLE ${r} LOGIN` : null,
      `ALTER ROLE ${r} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD ${client.escapeLiteral(password)}`,
      `GRANT CONNECT ON DATABASE ${client.escapeIdentifier(database)} TO ${r}`,
      `GRANT USAGE ON SCHEMA public TO ${r}`,
      `REVOKE CREATE ON SCHEMA public FROM ${r}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
      `REVOKE ALL ON TABLE "_prisma_migrations" FROM ${r}`,
      `REVOKE UPDATE, DELETE, TRUNCATE ON ${APPEND_ONLY_TABLES.map((t) => client.escapeIdentifier(t)).join(", ")} FROM ${r}`,
      // The job queue (pg-boss), created by the owner now or later: the API enqueues into it.
      ...(hasPgboss
        ? [
            `GRANT USAGE ON SCHEMA pgboss TO ${r}`,
            `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO ${r}`,
            `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA pgboss TO ${r}`,
          ]
        : []),
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${client.escapeIdentifier(owner)} GRANT USAGE ON SCHEMAS TO ${r}`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${client.escapeIdentifier(owner)} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${client.escapeIdentifier(owner)} GRANT USAGE, SELECT ON SEQUENCES TO ${r}`,
    ].filter((s): s is string => s !== null);
    await client.query("BEGIN");
    try {
      for (const sql of statements) await client.query(sql);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      const message = (error as Error).message;
      throw new DatabaseRoleError(
        `cannot prepare the API's database role ${role} (${message}); give the DATABASE_URL user CREATEROLE, or create a data-only role yourself and set API_DATABASE_URL`,
      );
    }
    const url = new URL(ownerUrl);
    url.username = encodeURIComponent(role);
    url.password = encodeURIComponent(password);
    return url.toString();
  } finally {
    await client.end();
  }
}

/** Removes a role made by provisionDatabaseRole (tests: after its database was dropped). */
export async function dropDatabaseRole(adminUrl: string, role: string): Promise<void> {
  if (!ROLE_NAME.test(role)) throw new DatabaseRoleError(`invalid database role name ${JSON.stringify(role)}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`);
  } finally {
    await client.end();
  }
}
