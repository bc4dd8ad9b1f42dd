// Vitest global setup for integration tests: one real PostgreSQL per test run (embedded, in a
// temporary directory, unless DATABASE_URL names a server to use) and a migrated template
// database that every test file clones into a database of its own.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../migrate/migrate.ts";
import { startEmbeddedPostgres } from "../postgres/embedded-postgres.ts";
import { findFreePort } from "./free-port.ts";
import "./provided-context.ts";

export const TEMPLATE_DATABASE = `mammo_test_template_${process.pid}`;

export default async function setup(project: TestProject) {
  let adminUrl: string;
  let stop = async () => {};
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    // Under /tmp rather than the checkout: as root, the "postgres" OS user must reach it.
    const dir = await mkdtemp(path.join(os.tmpdir(), "mammo-test-pg-"));
    const { chmod } = await import("node:fs/promises");
    await chmod(dir, 0o755);
    const server = await startEmbeddedPostgres({
      dataDir: path.join(dir, "data"),
      port: await findFreePort(),
      database: "postgres",
      password: randomBytes(18).toString("base64url"), // a throw-away cluster
      isEphemeral: true,
    });
    adminUrl = server.adminUrl;
    stop = async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
  await migrateDatabase(templateUrl.toString());

  project.provide("testDatabaseAdminUrl", adminUrl);
  project.provide("testTemplateDatabase", TEMPLATE_DATABASE);

  return async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'mammo_test_%'`,
    );
    for (const row of rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    await client.end();
    await stop();
  };
}
