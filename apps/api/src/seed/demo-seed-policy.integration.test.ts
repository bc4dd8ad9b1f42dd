import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@mammo/db/testing";
import { createLocalBlobStore } from "@mammo/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoIfWanted } from "./demo-seed-policy.ts";

describe("finding 9: starting on an empty DATABASE_URL seeds no demo accounts", () => {
  let database: TestDatabase;
  let blobDir: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    blobDir = await mkdtemp(path.join(os.tmpdir(), "mammo-seed-policy-"));
  });
  afterAll(async () => {
    await database.drop();
    await rm(blobDir, { recursive: true, force: true });
  });

  it("finding 9: an empty external database stays empty, and the log says how to seed it on purpose", async () => {
    const lines: string[] = [];
    const seeded = await seedDemoIfWanted(
      database.db,
      createLocalBlobStore(blobDir),
      { isEmbedded: false, hasDemoFlag: false, demoSeedEnv: undefined },
      (line) => lines.push(line),
    );
    expect(seeded).toBe(false);
    expect(await database.db.user.count()).toBe(0);
    expect(await database.db.site.count()).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/no demo data seeded .*--demo or DEMO_SEED=1/)]);
  });
});
