import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionDatabaseRole } from "../../lib/database-role.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";

// The API connects as a data-only role (lib/database-role.ts; the harness uses it exactly as
// main.ts does). Triggers reject changes to audit rows for every role, but an owner could
// disable them: this role is not the owner, so it cannot.
describe("the API's database role and the audit log", () => {
  let api: TestApi;
  let asApp: pg.Client;
  let eventId: string;

  beforeAll(async () => {
    api = await startTestApi();
    asApp = new pg.Client({ connectionString: api.appDatabaseUrl });
    await asApp.connect();
    const { rows } = await asApp.query(
      `INSERT INTO "AuditEvent" (action, "entityType", "entityId") VALUES ('x.create', 'X', '1') RETURNING id`,
    );
    eventId = rows[0].id as string;
  });
  afterAll(async () => {
    await asApp.end();
    await api.stop();
  });

  it("is the role the API's queries run as, and it is neither owner nor superuser", async () => {
    const { rows } = await asApp.query(
      `SELECT current_user AS "user", r.rolsuper AS "isSuper", pg_has_role(current_user, t.tableowner, 'MEMBER') AS "isOwner"
         FROM pg_roles r, pg_tables t WHERE r.rolname = current_user AND t.tablename = 'AuditEvent'`,
    );
    expect(rows[0]).toEqual({ user: api.config.database.role, isSuper: false, isOwner: false });
    await api.graphql("{ me { id } }");
    const sessions = await api.db.$queryRaw<
      { usename: string }[]
    >`SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND usename = ${api.config.database.role}`;
    expect(sessions).toHaveLength(1);
  });

  it("can insert audit events but not update, delete or truncate them", async () => {
    await expect(asApp.query(`UPDATE "AuditEvent" SET action = 'x.forged' WHERE id = $1`, [eventId])).rejects.toThrow(
      /permission denied/,
    );
    await expect(asApp.query(`DELETE FROM "AuditEvent" WHERE id = $1`, [eventId])).rejects.toThrow(/permission denied/);
    await expect(asApp.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/permission denied/);
    const stored = await api.db.auditEvent.findUniqueOrThrow({ where: { id: BigInt(eventId) } });
    expect(stored.action).toBe("x.create");
  });

  it("cannot switch off or remove the triggers that guard the append-only tables", async () => {
    await expect(asApp.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`)).rejects.toThrow(/must be owner/);
    await expect(asApp.query(`DROP TRIGGER "AuditEvent_immutable" ON "AuditEvent"`)).rejects.toThrow(/must be owner/);
    await expect(asApp.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
    await expect(asApp.query(`CREATE TABLE "Sneaky" (id int)`)).rejects.toThrow(/permission denied/);
  });

  it("cannot change submitted reads, frozen dataset versions or published models either", async () => {
    for (const table of ["Read", "DatasetVersion", "DatasetItem", "ModelVersion"]) {
      await expect(asApp.query(`DELETE FROM "${table}"`)).rejects.toThrow(/permission denied/);
      await expect(asApp.query(`TRUNCATE "${table}" CASCADE`)).rejects.toThrow(/permission denied/);
    }
  });

  it("provisioning is repeatable and reaches the job queue's tables, created after it", async () => {
    const password = decodeURIComponent(new URL(api.appDatabaseUrl).password);
    const again = await provisionDatabaseRole(api.ownerDatabaseUrl, { role: api.config.database.role, password });
    expect(again).toBe(api.appDatabaseUrl);
    // The harness started pg-boss (as the owner) after provisioning: default privileges apply.
    const { rows } = await asApp.query(
      `SELECT has_table_privilege('pgboss.job', 'INSERT') AS "canEnqueue", has_table_privilege('pgboss.job', 'TRUNCATE') AS "canTruncate"`,
    );
    expect(rows[0]).toEqual({ canEnqueue: true, canTruncate: false });
  });
});
