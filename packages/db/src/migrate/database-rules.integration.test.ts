import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";

// Rules the database itself enforces (see the end of the init migration).
describe("database rules", () => {
  let database: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it("audit events can be inserted but never updated, deleted or truncated", async () => {
    const { rows } = await client.query(
      `INSERT INTO "AuditEvent" (action, "entityType", "entityId") VALUES ('x.create', 'X', '1') RETURNING id`,
    );
    const id = rows[0].id as string;
    await expect(client.query(`UPDATE "AuditEvent" SET action = 'x.forged' WHERE id = $1`, [id])).rejects.toThrow(
      /immutable/,
    );
    await expect(client.query(`DELETE FROM "AuditEvent" WHERE id = $1`, [id])).rejects.toThrow(/immutable/);
    await expect(client.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/immutable/);
    const after = await client.query(`SELECT action FROM "AuditEvent" WHERE id = $1`, [id]);
    expect(after.rows[0].action).toBe("x.create");
  });
});
