// `npm run import` as a user runs it: a child process against a real PostgreSQL (issue 13,
// defect 5: it exited 0 when rows had failed).
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "@mammo/db";
import { createTestDatabase, type TestDatabase } from "@mammo/db/testing";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let database: TestDatabase;
let folder: string;

beforeAll(async () => {
  database = await createTestDatabase();
  folder = await mkdtemp(path.join(os.tmpdir(), "import-cli-"));
  const site = await database.db.site.create({ data: { code: "CLI", name: "CLI site" } });
  await database.db.user.create({
    data: { email: "admin@cli.example", name: "Admin", memberships: { create: [{ siteId: site.id, role: "ADMIN" }] } },
  });
  const png = (value: number) =>
    sharp(Buffer.alloc(32 * 16, value), { raw: { width: 32, height: 16, channels: 1 } })
      .png()
      .toBuffer();
  await writeFile(path.join(folder, "good.png"), await png(10));
  await writeFile(path.join(folder, "other.png"), await png(20));
  await writeFile(path.join(folder, "third.png"), await png(30));
  await writeFile(path.join(folder, "Doe_Jane_cases.csv"), "file,patient,laterality,view\ngood.png,C-1,L,CC\n");
  await writeFile(
    path.join(folder, "partial.csv"),
    "file,patient,laterality,view,roi_shape,roi\nother.png,C-2,L,CC,,\nmissing.png,C-3,L,CC,,\nthird.png,C-4,R,CC,box,100 100 5 5\n",
  );
});

afterAll(async () => {
  await database.drop();
  await rm(folder, { recursive: true, force: true });
});

function importCli(manifest: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsx = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
  const args = [tsx, "packages/imaging/src/cli/import-cli.ts"];
  args.push("--site", "CLI", "--as", "admin@cli.example", "--manifest", path.join(folder, manifest));
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    BLOB_DIR: path.join(folder, "blobs"),
    DEID_SECRET: "cli-test",
    INGEST_WORKERS: "0", // the exit status is under test here, not the pool
  };
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: repoRoot, env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("npm run import (CLI)", () => {
  it("exits 1 when any row failed, with the rows and the summary on stderr; 0 when all imported", async () => {
    const partial = await importCli("partial.csv");
    expect(partial.code, partial.stdout + partial.stderr).toBe(1);
    expect(partial.stderr).toMatch(/^row 3 \(missing\.png\): FILE_NOT_FOUND: the file does not exist/m);
    expect(partial.stderr).toMatch(/^row 4 \(third\.png\): INVALID_MANIFEST: roi lies outside the 32x16 image$/m);
    expect(partial.stderr).toMatch(/SUCCEEDED, 1 case\(s\) imported or changed, 1 image\(s\).*2 error\(s\)/);
    expect(partial.stderr).not.toMatch(/row \d+: row \d+/); // no "row 23: row 23: ..."

    const whole = await importCli("Doe_Jane_cases.csv");
    expect(whole).toMatchObject({ code: 0, stderr: "" });
    expect(whole.stdout).toMatch(/1 image\(s\).*0 error\(s\)/);
    // The manifest's own file name is the importer's business, not the database's.
    const batches = await database.db.importBatch.findMany();
    expect(JSON.stringify(batches)).not.toMatch(/Doe_Jane|partial\.csv|missing\.png/);
  });
});
