import { createTestDatabase, type TestDatabase } from "@mammo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessError } from "./access-error.ts";
import { loadActorByEmail } from "./actor.ts";
import { authorizeImport } from "./import-access.ts";

describe("who may import images into a site (POST /imports and the import CLI)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    const north = await db.site.create({ data: { code: "ACC-N", name: "North" } });
    const south = await db.site.create({ data: { code: "ACC-S", name: "South" } });
    const user = (email: string, siteId: string, role: "ADMIN" | "COORDINATOR" | "READER" | "ANNOTATOR") =>
      db.user.create({ data: { email, name: email, memberships: { create: [{ siteId, role }] } } });
    await user("admin@n.example", north.id, "ADMIN");
    await user("coordinator@n.example", north.id, "COORDINATOR");
    await user("reader@n.example", north.id, "READER");
    await user("annotator@n.example", north.id, "ANNOTATOR");
    await user("admin@s.example", south.id, "ADMIN");
    await db.user.create({
      data: {
        email: "gone@n.example",
        name: "gone",
        disabledAt: new Date(),
        memberships: { create: [{ siteId: north.id, role: "ADMIN" }] },
      },
    });
  });
  afterAll(async () => {
    await database.drop();
  });

  const attempt = async (email: string, site: string) => {
    try {
      const actor = await loadActorByEmail(database.db, email, "--as");
      return (await authorizeImport(database.db, actor, site)).siteId ? "allowed" : "?";
    } catch (error) {
      if (!(error instanceof AccessError)) throw error;
      return `${error.code}: ${error.message}`;
    }
  };

  it("admins and coordinators of the site; nobody else; an unknown site answers like a forbidden one", async () => {
    expect(await attempt("admin@n.example", "ACC-N")).toBe("allowed");
    expect(await attempt("COORDINATOR@n.example", "ACC-N")).toBe("allowed");
    const refused = await attempt("reader@n.example", "ACC-N");
    expect(refused).toBe(
      "FORBIDDEN: site: you cannot import into this site (it needs the ADMIN or COORDINATOR role there)",
    );
    expect(await attempt("annotator@n.example", "ACC-N")).toBe(refused);
    expect(await attempt("admin@s.example", "ACC-N")).toBe(refused);
    expect(await attempt("admin@n.example", "NO-SUCH-SITE")).toBe(refused);
    expect(await attempt("gone@n.example", "ACC-N")).toBe("NOT_FOUND: --as: no active user gone@n.example");
    expect(await attempt("nobody@n.example", "ACC-N")).toBe("NOT_FOUND: --as: no active user nobody@n.example");
  });
});
