import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { findSchemaDrift } from "./schema-drift.ts";

describe("schema.prisma vs the migrated database", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("agree after `db:migrate` (no drift)", async () => {
    expect(await findSchemaDrift(database.url)).toEqual([]);
  });

  // Each planted mismatch must be reported: proves the check can fail.
  const plants: { what: string; sql: string; kind: string; object: string }[] = [
    { what: "a missing table", sql: `DROP TABLE "LoginAttempt"`, kind: "missing table", object: "LoginAttempt" },
    {
      what: "a missing column",
      sql: `ALTER TABLE "Case" DROP COLUMN "note"`,
      kind: "missing column",
      object: "Case.note",
    },
    {
      what: "an extra column",
      sql: `ALTER TABLE "Site" ADD COLUMN "legacy" text`,
      kind: "extra column",
      object: "Site.legacy",
    },
    {
      what: "a nullable required column",
      sql: `ALTER TABLE "Image" ALTER COLUMN "storageKey" DROP NOT NULL`,
      kind: "nullability",
      object: "Image.storageKey",
    },
    {
      what: "a changed type",
      sql: `ALTER TABLE "Image" ALTER COLUMN "widthPx" TYPE bigint`,
      kind: "column type",
      object: "Image.widthPx",
    },
    {
      what: "a missing unique constraint",
      sql: `DROP INDEX "Site_code_key"`,
      kind: "missing unique",
      object: "Site(code)",
    },
    {
      what: "a missing foreign key",
      sql: `ALTER TABLE "Image" DROP CONSTRAINT "Image_caseId_fkey"`,
      kind: "missing foreign key",
      object: "Image(caseId) -> Case(id)",
    },
    {
      what: "a changed ON DELETE action",
      sql: `ALTER TABLE "Membership" DROP CONSTRAINT "Membership_userId_fkey", ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT`,
      kind: "foreign key action",
      object: "Membership(userId) -> User(id)",
    },
    {
      what: "a changed enum",
      sql: `ALTER TYPE "Subtype" ADD VALUE 'MUCINOUS'`,
      kind: "enum values",
      object: "Subtype",
    },
  ];

  for (const plant of plants) {
    it(`reports ${plant.what}`, async () => {
      const planted = await createTestDatabase();
      try {
        const client = new pg.Client({ connectionString: planted.url });
        await client.connect();
        await client.query(plant.sql);
        await client.end();
        const drift = await findSchemaDrift(planted.url);
        expect(drift).toContainEqual(expect.objectContaining({ kind: plant.kind, object: plant.object }));
      } finally {
        await planted.drop();
      }
    });
  }

  it("reports a field added to schema.prisma without a migration", async () => {
    const { readFile } = await import("node:fs/promises");
    const { defaultSchemaPath } = await import("./schema-drift.ts");
    const schema = (await readFile(defaultSchemaPath, "utf8")).replace(
      /model Site \{\n/,
      "model Site {\n  timezone String\n",
    );
    const drift = await findSchemaDrift(database.url, { schemaText: schema });
    expect(drift).toContainEqual(expect.objectContaining({ kind: "missing column", object: "Site.timezone" }));
  });
});
