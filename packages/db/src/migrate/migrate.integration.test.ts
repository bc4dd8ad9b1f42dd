import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { inject, afterEach, describe, expect, it } from "vitest";
import { DatabaseSetupError } from "../errors.ts";
import { ensureDatabaseExists } from "../postgres/embedded-postgres.ts";
import { migrateDatabase, readMigrations } from "./migrate.ts";

async function emptyDatabase() {
  const name = `mammo_test_mig_${Math.random().toString(36).slice(2, 10)}`;
  await ensureDatabaseExists(inject("testDatabaseAdminUrl"), name);
  const url = new URL(inject("testDatabaseAdminUrl"));
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function migrationsDir(files: Record<string, string>) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mammo-migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe("db:migrate", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it("applies the project's migrations once and records them like Prisma Migrate", async () => {
    const url = await emptyDatabase();
    const first = await migrateDatabase(url);
    const migrations = await readMigrations();
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const second = await migrateDatabase(url);
    expect(second).toEqual({ applied: [], alreadyApplied: migrations.map((m) => m.name) });
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      url,
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(migrations.map((m) => [m.name, m.checksum]));
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
  });

  it("rolls back a failing migration completely and says which one failed", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsDir({
      "001_ok": `CREATE TABLE a (id int);`,
      "002_broken": `CREATE TABLE b (id int); SELECT * FROM no_such_table;`,
    });
    await expect(migrateDatabase(url, { migrationsDir: dir })).rejects.toThrow(
      /migration 002_broken failed: .*no_such_table/,
    );
    const tables = await query<{ tablename: string }>(
      url,
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    );
    expect(tables.map((t) => t.tablename)).toEqual(["_prisma_migrations", "a"]);
    const recorded = await query<{ migration_name: string }>(url, `SELECT migration_name FROM "_prisma_migrations"`);
    expect(recorded.map((r) => r.migration_name)).toEqual(["001_ok"]);
  });

  it("refuses to continue when an applied migration was edited", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsDir({ "001_ok": `CREATE TABLE a (id int);` });
    await migrateDatabase(url, { migrationsDir: dir });
    await writeFile(path.join(dir, "001_ok", "migration.sql"), `CREATE TABLE a (id bigint);`);
    const error = await migrateDatabase(url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseSetupError);
    expect((error as DatabaseSetupError).code).toBe("MIGRATION_MODIFIED");
  });

  it("lets concurrent migrators (API and workers starting together) apply each migration once", async () => {
    const url = await emptyDatabase();
    const results = await Promise.all([migrateDatabase(url), migrateDatabase(url), migrateDatabase(url)]);
    const appliedTotal = results.reduce((n, r) => n + r.applied.length, 0);
    expect(appliedTotal).toBe((await readMigrations()).length);
  });
});
