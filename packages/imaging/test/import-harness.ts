// A site, its admin, a blob store and an import folder on a fresh test database: what the import
// integration tests share. `run` imports a manifest as the admin (or another user) from the folder.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "@mammo/db/testing";
import { createLocalBlobStore } from "@mammo/storage";
import { importManifest, type ImportSummary } from "../src/import/import-service.ts";
import { resolveInside } from "../src/import/safe-file-name.ts";

export async function startImportHarness(siteCode: string, deidSecret = `${siteCode}-deid-secret`) {
  const database = await createTestDatabase();
  const blobDir = await mkdtemp(path.join(os.tmpdir(), "imaging-blobs-"));
  const folder = await mkdtemp(path.join(os.tmpdir(), "imaging-import-"));
  const blobs = createLocalBlobStore(blobDir);
  const siteId = (await database.db.site.create({ data: { code: siteCode, name: `Site ${siteCode}` } })).id;
  const email = `admin@${siteCode.toLowerCase()}.example`;
  const adminId = (
    await database.db.user.create({
      data: { email, name: "Admin", memberships: { create: [{ siteId, role: "ADMIN" }] } },
    })
  ).id;
  const run = (manifestCsv: string | Uint8Array, actorUserId = adminId): Promise<ImportSummary> =>
    importManifest(
      { db: database.db, blobs, deidSecret },
      {
        actorUserId,
        siteId,
        source: "cli",
        manifestCsv,
        readFile: async (name) => readFile(await resolveInside(folder, name)),
      },
    );
  return {
    database,
    db: database.db,
    blobs,
    blobDir,
    folder,
    siteId,
    adminId,
    run,
    /** Writes a file into the import folder. */
    put: (name: string, bytes: Uint8Array) => writeFile(path.join(folder, name), bytes),
    stop: async () => {
      await database.drop();
      await rm(blobDir, { recursive: true, force: true });
      await rm(folder, { recursive: true, force: true });
    },
  };
}

export type ImportHarness = Awaited<ReturnType<typeof startImportHarness>>;
