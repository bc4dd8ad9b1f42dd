// Issue 13, must-show 7: the findings migration applied to a database in the OLD layout (labels,
// decisions and outlines on the case) keeps every label and region, and places each where the
// old data said it belongs.
import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureDatabaseExists } from "../postgres/embedded-postgres.ts";
import { migrateDatabase, readMigrations } from "./migrate.ts";

const MIGRATION = "20261206100000_findings_per_breast";

async function emptyDatabase() {
  const name = `mammo_test_fpb_${Math.random().toString(36).slice(2, 10)}`;
  await ensureDatabaseExists(inject("testDatabaseAdminUrl"), name);
  const url = new URL(inject("testDatabaseAdminUrl"));
  url.pathname = `/${name}`;
  return url.toString();
}

/** A migrations folder with the project's migrations before `MIGRATION`: the old layout. */
async function migrationsBefore() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mammo-old-layout-"));
  for (const m of (await readMigrations()).filter((m) => m.name < MIGRATION)) {
    await mkdir(path.join(dir, m.name));
    await writeFile(path.join(dir, m.name, "migration.sql"), m.sql);
  }
  return dir;
}

// Demo-like data in the old layout. Cases (four views unless said):
//  A: SOLID on R, outlined on R CC and R MLO
//  B: NORMAL without laterality (both breasts normal)
//  C: R SOLID and R SCIRRHOUS (two annotators disagree), adjudicated SOLID; an older decision superseded
//  D: BENIGN without laterality, outlined on the L MLO
//  E: L TUBULE_FORMING corrected to R SCIRRHOUS; another label retracted
//  F: images of the right breast only; BENIGN without laterality
//  G: L BENIGN and R SOLID (the two breasts differ: not a conflict any more)
//  H: no label
const OLD_LAYOUT_SEED = `
INSERT INTO "Site" (id, code, name) VALUES ('00000000-0000-4000-8000-000000000001', 'OLD', 'Old site');
INSERT INTO "User" (id, email, name) VALUES
  ('00000000-0000-4000-8000-0000000000a1', 'ann1@old.example', 'Annotator 1'),
  ('00000000-0000-4000-8000-0000000000a2', 'ann2@old.example', 'Annotator 2');
INSERT INTO "Patient" (id, "siteId", pseudonym, "dateShiftDays")
SELECT ('00000000-0000-4000-8000-0000000001' || k)::uuid, '00000000-0000-4000-8000-000000000001', 'P-' || k, 0
FROM unnest(ARRAY['0a','0b','0c','0d','0e','0f','10','11']) k;
INSERT INTO "Case" (id, "siteId", "patientId", "accessionKey", "updatedAt")
SELECT ('00000000-0000-4000-8000-0000000002' || k)::uuid, '00000000-0000-4000-8000-000000000001',
  ('00000000-0000-4000-8000-0000000001' || k)::uuid, 'A-' || k, now()
FROM unnest(ARRAY['0a','0b','0c','0d','0e','0f','10','11']) k;
INSERT INTO "Image" (id, "caseId", laterality, view, "widthPx", "heightPx", "bitsStored", photometric, "sourceFormat", "contentSha256", "storageKey")
SELECT ('00000000-0000-4000-8000-000000' || k || v.n)::uuid, ('00000000-0000-4000-8000-0000000002' || k)::uuid,
  v.lat::"Laterality", v.view::"ViewPosition", 64, 80, 8, 'MONOCHROME2', 'PNG',
  lpad(k || v.n, 64, '0'), 'blobs/' || k || v.n
FROM unnest(ARRAY['0a','0b','0c','0d','0e','0f','10','11']) k
CROSS JOIN (VALUES ('0001', 'R', 'CC'), ('0002', 'L', 'CC'), ('0003', 'R', 'MLO'), ('0004', 'L', 'MLO')) v(n, lat, view)
WHERE k <> '0f' OR v.lat = 'R';
INSERT INTO "PathologyLabel" (id, "caseId", laterality, subtype, source, "authorId", note, "replacesId", "retractedAt", "createdAt") VALUES
  ('00000000-0000-4000-8000-00000000a001', '00000000-0000-4000-8000-00000000020a', 'R', 'SOLID', 'SURGERY', '00000000-0000-4000-8000-0000000000a1', 'A label', NULL, NULL, '2024-01-01'),
  ('00000000-0000-4000-8000-00000000b001', '00000000-0000-4000-8000-00000000020b', NULL, 'NORMAL', 'BIOPSY', '00000000-0000-4000-8000-0000000000a1', NULL, NULL, NULL, '2024-01-01'),
  ('00000000-0000-4000-8000-00000000c001', '00000000-0000-4000-8000-00000000020c', 'R', 'SOLID', 'SURGERY', '00000000-0000-4000-8000-0000000000a1', NULL, NULL, NULL, '2024-01-01'),
  ('00000000-0000-4000-8000-00000000c002', '00000000-0000-4000-8000-00000000020c', 'R', 'SCIRRHOUS', 'SURGERY', '00000000-0000-4000-8000-0000000000a2', NULL, NULL, NULL, '2024-01-02'),
  ('00000000-0000-4000-8000-00000000d001', '00000000-0000-4000-8000-00000000020d', NULL, 'BENIGN', 'BIOPSY', '00000000-0000-4000-8000-0000000000a2', NULL, NULL, NULL, '2024-01-01'),
  ('00000000-0000-4000-8000-00000000e001', '00000000-0000-4000-8000-00000000020e', 'L', 'TUBULE_FORMING', 'BIOPSY', '00000000-0000-4000-8000-0000000000a1', NULL, NULL, NULL, '2024-01-01'),
  ('00000000-0000-4000-8000-00000000e002', '00000000-0000-4000-8000-00000000020e', 'R', 'SCIRRHOUS', 'SURGERY', '00000000-0000-4000-8000-0000000000a2', 'corrected side', '00000000-0000-4000-8000-00000000e001', NULL, '2024-02-01'),
  ('00000000-0000-4000-8000-00000000e003', '00000000-0000-4000-8000-00000000020e', 'R', 'SOLID', 'BIOPSY', '00000000-0000-4000-8000-0000000000a2', NULL, NULL, '2024-03-01', '2024-01-05'),
  ('00000000-0000-4000-8000-00000000f001', '00000000-0000-4000-8000-00000000020f', NULL, 'BENIGN', 'BIOPSY', '00000000-0000-4000-8000-0000000000a1', NULL, NULL, NULL, '2024-01-01'),
  ('00000000-0000-4000-8000-000000001001', '00000000-0000-4000-8000-000000000210', 'L', 'BENIGN', 'BIOPSY', '00000000-0000-4000-8000-0000000000a1', NULL, NULL, NULL, '2024-01-01'),
  ('00000000-0000-4000-8000-000000001002', '00000000-0000-4000-8000-000000000210', 'R', 'SOLID', 'SURGERY', '00000000-0000-4000-8000-0000000000a1', NULL, NULL, NULL, '2024-01-01');
INSERT INTO "ConsensusDecision" (id, "caseId", subtype, method, "decidedById", rationale, "supersededAt", "createdAt") VALUES
  ('00000000-0000-4000-8000-00000000cd01', '00000000-0000-4000-8000-00000000020c', 'SCIRRHOUS', 'ADJUDICATED', '00000000-0000-4000-8000-0000000000a1', 'first look', '2024-01-04', '2024-01-03'),
  ('00000000-0000-4000-8000-00000000cd02', '00000000-0000-4000-8000-00000000020c', 'SOLID', 'ADJUDICATED', '00000000-0000-4000-8000-0000000000a1', 'surgical specimen', NULL, '2024-01-04');
INSERT INTO "Annotation" (id, "imageId", "authorId", purpose, shape, geometry, "pathologyLabelId", "updatedAt") VALUES
  ('00000000-0000-4000-8000-0000000aa001', '00000000-0000-4000-8000-0000000a0001', '00000000-0000-4000-8000-0000000000a1', 'LESION', 'BOX', '{"x": 1, "y": 2, "width": 10, "height": 12}', '00000000-0000-4000-8000-00000000a001', now()),
  ('00000000-0000-4000-8000-0000000aa002', '00000000-0000-4000-8000-0000000a0003', '00000000-0000-4000-8000-0000000000a1', 'LESION', 'ELLIPSE', '{"cx": 20, "cy": 30, "rx": 5, "ry": 6, "rotationRad": 0}', '00000000-0000-4000-8000-00000000a001', now()),
  ('00000000-0000-4000-8000-0000000dd001', '00000000-0000-4000-8000-0000000d0004', '00000000-0000-4000-8000-0000000000a2', 'LESION', 'POINT', '{"x": 3, "y": 4}', '00000000-0000-4000-8000-00000000d001', now()),
  ('00000000-0000-4000-8000-0000000ee001', '00000000-0000-4000-8000-0000000e0001', '00000000-0000-4000-8000-0000000000a2', 'FINDING', 'POINT', '{"x": 5, "y": 6}', NULL, now());
INSERT INTO "Dataset" (id, "siteId", name, filter, "createdById", "updatedAt") VALUES
  ('00000000-0000-4000-8000-0000000da001', '00000000-0000-4000-8000-000000000001', 'old', '{"siteIds": [], "subtypes": ["SOLID", "SCIRRHOUS"]}', '00000000-0000-4000-8000-0000000000a1', now());
INSERT INTO "DatasetVersion" (id, "datasetId", version, digest, seed, "foldCount", "splitFractions", "classNames", "itemCount", "createdById") VALUES
  ('00000000-0000-4000-8000-0000000dd0a1', '00000000-0000-4000-8000-0000000da001', 1, repeat('a', 64), 1, 1, '{"train": 1, "validation": 0, "test": 0}', ARRAY['SOLID', 'SCIRRHOUS'], 4, '00000000-0000-4000-8000-0000000000a1');
INSERT INTO "DatasetItem" ("datasetVersionId", "imageId", "caseId", "patientId", "siteId", subtype, split, fold)
SELECT '00000000-0000-4000-8000-0000000dd0a1', i.id, i."caseId", c."patientId", c."siteId", 'SOLID', 'TRAIN', 0
FROM "Image" i JOIN "Case" c ON c.id = i."caseId" WHERE c.id = '00000000-0000-4000-8000-00000000020a';
INSERT INTO "ReaderStudy" (id, "siteId", name, status, seed, "createdById") VALUES
  ('00000000-0000-4000-8000-0000000057d1', '00000000-0000-4000-8000-000000000001', 'old study', 'DRAFT', 1, '00000000-0000-4000-8000-0000000000a1');
INSERT INTO "StudyCase" ("studyId", "caseId", code) VALUES
  ('00000000-0000-4000-8000-0000000057d1', '00000000-0000-4000-8000-00000000020a', 'C-AAAAA'),
  ('00000000-0000-4000-8000-0000000057d1', '00000000-0000-4000-8000-00000000020c', 'C-CCCCC');
`;

const id = (tail: string) => `00000000-0000-4000-8000-${tail.padStart(12, "0")}`;
const caseId = (k: string) => id(`2${k}`);

describe(`migration ${MIGRATION} on a database in the old layout`, () => {
  let client: pg.Client;
  let labelsBefore: Record<string, unknown>[];
  let regionsBefore: Record<string, unknown>[];

  beforeAll(async () => {
    const url = await emptyDatabase();
    await migrateDatabase(url, { migrationsDir: await migrationsBefore() });
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(OLD_LAYOUT_SEED);
    labelsBefore = (
      await client.query(
        `SELECT id, subtype, source, "authorId", note, "replacesId", "retractedAt", "createdAt" FROM "PathologyLabel" ORDER BY id`,
      )
    ).rows;
    regionsBefore = (
      await client.query(`SELECT id, "imageId", shape, geometry, purpose, "authorId" FROM "Annotation" ORDER BY id`)
    ).rows;
    const result = await migrateDatabase(url);
    expect(result.applied[0]).toBe(MIGRATION);
  });
  afterAll(async () => {
    await client?.end();
  });

  const findingOf = async (labelId: string) =>
    (
      await client.query<{ caseId: string; laterality: string | null; key: string; id: string }>(
        `SELECT f.id, f."caseId", f.laterality, f.key FROM "PathologyLabel" l JOIN "Finding" f ON f.id = l."findingId" WHERE l.id = $1`,
        [labelId],
      )
    ).rows[0]!;

  it("keeps every label as it was, each in a finding of its own case", async () => {
    const after = await client.query(
      `SELECT id, subtype, source, "authorId", note, "replacesId", "retractedAt", "createdAt" FROM "PathologyLabel" ORDER BY id`,
    );
    expect(after.rows).toEqual(labelsBefore);
    expect(labelsBefore).toHaveLength(11);
    const caseOfLabel = await client.query<{ id: string; caseId: string }>(
      `SELECT l.id, f."caseId" FROM "PathologyLabel" l JOIN "Finding" f ON f.id = l."findingId"`,
    );
    const expectedCase: Record<string, string> = { a: "0a", b: "0b", c: "0c", d: "0d", e: "0e", f: "0f", "1": "10" };
    for (const row of caseOfLabel.rows) expect(row.caseId).toBe(caseId(expectedCase[row.id.slice(-4, -3)]!));
  });

  it("places each label on the breast the old data names: its laterality, its outline, the case's only side, else the case", async () => {
    expect((await findingOf(id("a001"))).laterality).toBe("R");
    expect((await findingOf(id("b001"))).laterality).toBeNull(); // NORMAL of the whole case
    expect((await findingOf(id("c001"))).id).toBe((await findingOf(id("c002"))).id); // one lesion, two opinions
    expect((await findingOf(id("d001"))).laterality).toBe("L"); // its outline is on the L MLO
    // A correction chain stays one finding, placed by its latest label (L corrected to R).
    expect((await findingOf(id("e001"))).id).toBe((await findingOf(id("e002"))).id);
    expect((await findingOf(id("e002"))).laterality).toBe("R");
    expect((await findingOf(id("e003"))).laterality).toBe("R");
    expect((await findingOf(id("f001"))).laterality).toBe("R"); // the case has right-breast images only
    expect((await findingOf(id("1001"))).laterality).toBe("L");
    expect((await findingOf(id("1002"))).laterality).toBe("R");
  });

  it("keeps every region, on its label's finding", async () => {
    const after = await client.query(
      `SELECT id, "imageId", shape, geometry, purpose, "authorId" FROM "Annotation" ORDER BY id`,
    );
    expect(after.rows).toEqual(regionsBefore);
    const placed = await client.query<{ id: string; findingId: string | null }>(
      `SELECT id, "findingId" FROM "Annotation" ORDER BY id`,
    );
    const findingOfRegion = new Map(placed.rows.map((r) => [r.id, r.findingId]));
    expect(findingOfRegion.get(id("aa001"))).toBe((await findingOf(id("a001"))).id);
    expect(findingOfRegion.get(id("aa002"))).toBe((await findingOf(id("a001"))).id);
    expect(findingOfRegion.get(id("dd001"))).toBe((await findingOf(id("d001"))).id);
    expect(findingOfRegion.get(id("ee001"))).toBeNull(); // it had no label
  });

  it("moves each consensus decision to the finding it decided, the current one still current", async () => {
    const decisions = await client.query<{ id: string; findingId: string; supersededAt: Date | null }>(
      `SELECT id, "findingId", "supersededAt" FROM "ConsensusDecision" ORDER BY id`,
    );
    const lesion = (await findingOf(id("c001"))).id;
    expect(decisions.rows.map((d) => [d.id, d.findingId, d.supersededAt !== null])).toEqual([
      [id("cd01"), lesion, true],
      [id("cd02"), lesion, false],
    ]);
  });

  it("records the old placement of every moved row in the audit log", async () => {
    const events = await client.query<{ action: string; entityId: string; before: { laterality?: string | null } }>(
      `SELECT action, "entityId", before FROM "AuditEvent" WHERE "requestId" = $1`,
      [`migration ${MIGRATION}`],
    );
    expect(events.rows.filter((e) => e.action === "pathologyLabel.placeInFinding")).toHaveLength(11);
    expect(events.rows.filter((e) => e.action === "consensusDecision.placeInFinding")).toHaveLength(2);
    expect(events.rows.filter((e) => e.action === "annotation.placeInFinding")).toHaveLength(3);
    // The corrected label's own side (L) survives there.
    expect(events.rows.find((e) => e.entityId === id("e001"))?.before.laterality).toBe("L");
  });

  it("computes every finding's, breast's and case's truth", async () => {
    const cases = await client.query<{ accessionKey: string; truthStatus: string; truthSubtype: string | null }>(
      `SELECT "accessionKey", "truthStatus", "truthSubtype" FROM "Case" ORDER BY "accessionKey"`,
    );
    expect(cases.rows.map((c) => [c.accessionKey, c.truthStatus, c.truthSubtype])).toEqual([
      ["A-0a", "LABELLED", "SOLID"],
      ["A-0b", "LABELLED", "NORMAL"],
      ["A-0c", "ADJUDICATED", "SOLID"],
      ["A-0d", "LABELLED", "BENIGN"],
      ["A-0e", "LABELLED", "SCIRRHOUS"],
      ["A-0f", "LABELLED", "BENIGN"],
      ["A-10", "LABELLED", "SOLID"], // benign L, solid R: the most severe, not a conflict
      ["A-11", "UNLABELLED", null],
    ]);
    const breasts = await client.query<{ key: string; truthStatus: string; truthSubtype: string | null }>(
      `SELECT c."accessionKey" || ' ' || b.laterality AS key, b."truthStatus", b."truthSubtype"
       FROM "Breast" b JOIN "Case" c ON c.id = b."caseId" ORDER BY 1`,
    );
    expect(breasts.rows.map((b) => [b.key, b.truthStatus, b.truthSubtype])).toEqual([
      ["A-0a R", "LABELLED", "SOLID"],
      ["A-0b L", "LABELLED", "NORMAL"],
      ["A-0b R", "LABELLED", "NORMAL"],
      ["A-0c R", "ADJUDICATED", "SOLID"],
      ["A-0d L", "LABELLED", "BENIGN"],
      ["A-0e R", "LABELLED", "SCIRRHOUS"],
      ["A-0f R", "LABELLED", "BENIGN"],
      ["A-10 L", "LABELLED", "BENIGN"],
      ["A-10 R", "LABELLED", "SOLID"],
    ]);
  });

  it("keeps frozen dataset versions and reader studies as the CASE unit", async () => {
    const items = await client.query<{ unitId: string; caseId: string }>(
      `SELECT "unitId", "caseId" FROM "DatasetItem"`,
    );
    expect(items.rows).toHaveLength(4);
    expect(items.rows.every((i) => i.unitId === i.caseId)).toBe(true);
    const version = await client.query<{ unit: string }>(`SELECT unit FROM "DatasetVersion"`);
    expect(version.rows).toEqual([{ unit: "CASE" }]);
    const study = await client.query<{ unit: string }>(`SELECT unit FROM "ReaderStudy"`);
    expect(study.rows).toEqual([{ unit: "CASE" }]);
    // Frozen items are still immutable after the migration lifted the trigger for its one update.
    await expect(client.query(`UPDATE "DatasetItem" SET fold = 1`)).rejects.toThrow(/immutable/);
  });
});
