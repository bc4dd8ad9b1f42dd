import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { parseFullDepthPixels } from "@mammo/wire-formats";
import type { BlobStore } from "@mammo/storage";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDicom, patternPixels, transcode } from "../../test/fixtures/synthetic-dicom.ts";
import { frameFullDepthLevels, fullDepthKey } from "../derived/full-depth-levels.ts";
import { miniMiasManifest } from "../mini-mias/mini-mias-manifest.ts";
import { startImportHarness, type ImportHarness } from "../../test/import-harness.ts";
import { importManifest } from "./import-service.ts";
import { resolveInside } from "./safe-file-name.ts";

const SECRET = "import-test-secret";
let harness: ImportHarness;
let database: ImportHarness["database"];
let blobDir: string;
let blobs: BlobStore;
let folder: string;
let siteId: string;
let adminId: string;

beforeAll(async () => {
  harness = await startImportHarness("IMP", SECRET);
  ({ database, blobDir, blobs, folder, siteId, adminId } = harness);

  // Every view has pixels of its own (one pixel differs), as real views do.
  const dicom = (laterality: string, view: string, extra: Record<string, unknown> = {}) =>
    buildDicom({
      pixels: Uint16Array.from(patternPixels(48, 40, 12), (v, i) =>
        i === 0 ? (laterality === "R" ? 10 : 20) + (view === "CC" ? 1 : 2) : v,
      ),
      attributes: {
        ImageLaterality: laterality,
        ViewPosition: view,
        SOPInstanceUID: `1.2.999.5.${laterality}${view === "CC" ? 1 : 2}`.replace(/[RL]/, (l) =>
          l === "R" ? "1" : "2",
        ),
        ...extra,
      },
    });
  await writeFile(path.join(folder, "rcc.dcm"), dicom("R", "CC"));
  await writeFile(path.join(folder, "lcc.dcm"), await transcode(dicom("L", "CC"), "JpegLsLossless"));
  await writeFile(path.join(folder, "rmlo.dcm"), dicom("R", "MLO", { BurnedInAnnotation: "YES" }));
  await writeFile(
    path.join(folder, "export.png"),
    await sharp(Buffer.alloc(64 * 32, 90), { raw: { width: 64, height: 32, channels: 1 } })
      .png()
      .toBuffer(),
  );
  await writeFile(
    path.join(folder, "second.png"),
    await sharp(Buffer.alloc(64 * 32, 91), { raw: { width: 64, height: 32, channels: 1 } })
      .png()
      .toBuffer(),
  );
  await writeFile(path.join(folder, "broken.dcm"), dicom("L", "MLO").subarray(0, 300));
  for (const [name, value] of [
    ["wide.png", 120],
    ["tall.png", 200],
    // Pixels of their own: the same pixels under another patient are refused (import defect 1).
    ["wide-22.png", 130],
    ["tall-22.png", 210],
  ] as const)
    await writeFile(
      path.join(folder, name),
      await sharp(Buffer.alloc(40 * 40, value), { raw: { width: 40, height: 40, channels: 1 } })
        .png()
        .toBuffer(),
    );
});

afterAll(() => harness?.stop());

const run = (manifestCsv: string, actor?: string) => harness.run(manifestCsv, actor);

const MANIFEST = [
  "file,patient,case,laterality,view,subtype,specimen_source,specimen_date,roi_shape,roi,note",
  "rcc.dcm,P-0001,E-0001,,,SOLID,BIOPSY,2020-03-20,ellipse,20 20 5 4,mass",
  "lcc.dcm,P-0001,E-0001,L,CC,,,,,,",
  "rmlo.dcm,P-0001,E-0001,,,,,,box,1 2 10 10,",
  "export.png,P-0002,E-0002,L,MLO,NORMAL,FOLLOW_UP,,,,",
  "broken.dcm,P-0003,E-0003,L,MLO,,,,,,",
  "second.png,P-0003,E-0003,R,CC,,,,,,",
  "../outside.dcm,P-0004,E-0004,L,CC,,,,,,",
  "rcc.dcm,Jane Doe,E-0005,,,,,,,,",
].join("\n");

describe("bulk import (folder + manifest) into PostgreSQL", () => {
  it("imports good cases whole, refuses bad cases whole, and records errors by row", async () => {
    const summary = await run(MANIFEST);
    expect(summary).toMatchObject({ status: "SUCCEEDED", caseCount: 2, imageCount: 4, quarantinedCount: 1 });
    expect(summary.errors.map((e) => [e.row, e.code])).toEqual([
      [6, "MALFORMED_DICOM"],
      [7, "CASE_REFUSED"],
      [8, "INVALID_FILE_NAME"],
      [9, "INVALID_MANIFEST"],
    ]);
    expect(summary.errors[0]!.message).toMatch(/DICOM file could not be parsed/);
    expect(summary.errors[3]!.message).toMatch(/patient key must be a pseudonym/);

    const db = database.db;
    const batch = await db.importBatch.findUniqueOrThrow({ where: { id: summary.batchId } });
    expect(batch).toMatchObject({ status: "SUCCEEDED", imageCount: 4, errorCount: 4, source: "cli" });
    expect((batch.errors as { row: number }[]).map((e) => e.row)).toEqual([6, 7, 8, 9]);
    // The refused case left nothing behind: no patient, no case.
    expect(await db.patient.count({ where: { pseudonym: { in: ["P-0003", "P-0004"] } } })).toBe(0);
    expect(await db.case.count({ where: { siteId } })).toBe(2);

    const images = await db.image.findMany({
      where: { case: { accessionKey: "E-0001" } },
      include: { annotations: true },
      orderBy: { view: "asc" },
    });
    expect(images.map((i) => [i.laterality, i.view, i.sourceFormat, i.status])).toEqual(
      expect.arrayContaining([
        ["R", "CC", "DICOM", "ACTIVE"],
        ["L", "CC", "DICOM", "ACTIVE"],
        ["R", "MLO", "DICOM", "QUARANTINED"],
      ]),
    );
    const quarantined = images.find((i) => i.status === "QUARANTINED")!;
    expect(quarantined.quarantineReason).toMatch(/Burned In Annotation \(0028,0301\) is "YES"/);
    const rcc = images.find((i) => i.laterality === "R" && i.view === "CC")!;
    expect(rcc.annotations[0]).toMatchObject({
      shape: "ELLIPSE",
      purpose: "LESION",
      geometry: { cx: 20, cy: 20, rx: 5, ry: 4, rotationRad: 0 },
    });
    expect(rcc.sopInstanceUid).toMatch(/^2\.25\./);

    // Stored files are the de-identified ones, and each has its Blob row.
    const stored = await blobs.get(rcc.storageKey);
    expect(stored.toString("latin1")).not.toContain("Test^Patient");
    expect(stored.toString("latin1")).toContain("P-0001");
    expect(await db.blob.count({ where: { sha256: rcc.contentSha256 } })).toBe(1);

    const label = await db.pathologyLabel.findFirstOrThrow({
      where: { finding: { case: { accessionKey: "E-0001" } } },
      include: { finding: true },
    });
    const patient = await db.patient.findFirstOrThrow({ where: { pseudonym: "P-0001" } });
    expect(label.subtype).toBe("SOLID");
    const expectedDate = new Date(Date.UTC(2020, 2, 20 + patient.dateShiftDays));
    expect(label.specimenDate?.toISOString().slice(0, 10)).toBe(expectedDate.toISOString().slice(0, 10));
    // The label and the region belong to one finding: the right breast's (no finding column: one per breast).
    expect(label.finding).toMatchObject({ key: "R", laterality: "R" });
    expect(rcc.annotations[0]!.findingId).toBe(label.findingId);
    const normal = await db.finding.findFirstOrThrow({ where: { case: { accessionKey: "E-0002" } } });
    expect(normal).toMatchObject({ laterality: "L", truthStatus: "LABELLED", truthSubtype: "NORMAL" });

    const audit = await db.auditEvent.findMany({
      where: { siteId, action: { in: ["import.case", "importBatch.start", "importBatch.finish"] } },
    });
    expect(audit.map((a) => a.action).sort()).toEqual([
      "import.case",
      "import.case",
      "importBatch.finish",
      "importBatch.start",
    ]);
  });

  it("derives the viewer's screen levels at import, so a reader's first open decodes nothing", async () => {
    // Runs after the first import of MANIFEST (above). R CC is a 48x40 12-bit DICOM, L CC the
    // same kind of file in JPEG-LS: each gets levels 2 to 6 beside it; level 1 and full
    // resolution are made by the API when first asked for.
    const found = await database.db.image.findMany({ where: { case: { accessionKey: "E-0001" }, view: "CC" } });
    const images = ["R", "L"].map((l) => found.find((i) => i.laterality === l)!);
    expect(images.map((i) => i.sourceFormat)).toEqual(["DICOM", "DICOM"]);
    for (const image of images) {
      for (let level = 2; level <= 6; level++)
        expect(await blobs.has(fullDepthKey(image.contentSha256, level))).toBe(true);
      for (const level of [0, 1]) expect(await blobs.has(fullDepthKey(image.contentSha256, level))).toBe(false);
    }
    const level2 = parseFullDepthPixels(
      new Uint8Array(gunzipSync(await blobs.get(fullDepthKey(images[0]!.contentSha256, 2)))).buffer,
    );
    expect(level2).toMatchObject({
      level: 2,
      widthPx: 12,
      heightPx: 10,
      fullWidthPx: 48,
      fullHeightPx: 40,
      bitsStored: 12,
    });
    // By hand from the file's own pixels: each level the rounded mean of a 2x2 block of the one
    // below (sample 0 is 11 in R CC).
    const full = patternPixels(48, 40, 12);
    full[0] = 11;
    const mean = (at: (x: number, y: number) => number, x: number, y: number) =>
      Math.round((at(2 * x, 2 * y) + at(2 * x + 1, 2 * y) + at(2 * x, 2 * y + 1) + at(2 * x + 1, 2 * y + 1)) / 4);
    const level0 = (x: number, y: number) => full[y * 48 + x]!;
    const level1 = (x: number, y: number) => mean(level0, x, y);
    expect([level2.samples[0], level2.samples[11], level2.samples[12 * 9 + 5]]).toEqual([
      mean(level1, 0, 0),
      mean(level1, 11, 0),
      mean(level1, 5, 9),
    ]);
    // Made from the import's own decode of the original, they are what the API makes from the
    // stored, de-identified file (its header's window and inversion included).
    for (const image of images)
      for (const level of [2, 3]) {
        const atImport = gunzipSync(await blobs.get(fullDepthKey(image.contentSha256, level)));
        const [fromStored] = await frameFullDepthLevels(await blobs.get(image.storageKey), [level]);
        expect(new Uint8Array(atImport)).toEqual(fromStored!.framed);
      }
  });

  it("is idempotent: importing the same files again adds no images", async () => {
    const before = await database.db.image.count();
    const summary = await run(MANIFEST.split("\n").slice(0, 5).join("\n"));
    // Nothing changed, so no case is counted (issue 13: a no-op re-import reported "53 case(s)").
    expect(summary).toMatchObject({ caseCount: 0, imageCount: 0, skippedDuplicateCount: 4, errorCount: 0 });
    expect(await database.db.image.count()).toBe(before);
  });

  it("import defect 2: importing an image again applies its row's new label and region, and says so", async () => {
    const header = "file,patient,case,laterality,view,subtype,specimen_source,roi_shape,roi";
    const first = await run(`${header}\nwide.png,P-0020,E-0020,R,CC,,,,\n`);
    expect(first).toMatchObject({ imageCount: 1, labelCount: 0, regionCount: 0, errorCount: 0 });
    const again = await run(`${header}\nwide.png,P-0020,E-0020,R,CC,SOLID,BIOPSY,box,2 2 8 6\n`);
    expect(again).toMatchObject({
      imageCount: 0,
      skippedDuplicateCount: 1,
      labelCount: 1,
      regionCount: 1,
      errorCount: 0,
    });
    const image = await database.db.image.findFirstOrThrow({
      where: { case: { accessionKey: "E-0020" } },
      include: { annotations: { include: { finding: { include: { pathologyLabels: true } } } } },
    });
    expect(image.annotations).toHaveLength(1);
    expect(image.annotations[0]!.finding?.pathologyLabels.map((l) => l.subtype)).toEqual(["SOLID"]);
    // Nothing new: nothing added, twice.
    const third = await run(`${header}\nwide.png,P-0020,E-0020,R,CC,SOLID,BIOPSY,box,2 2 8 6\n`);
    expect(third).toMatchObject({ labelCount: 0, regionCount: 0, errorCount: 0 });
    // A row that cannot apply is refused with its reason, and nothing of it is written.
    const moved = await run(`${header}\nwide.png,P-0020,E-0020,L,MLO,BENIGN,BIOPSY,point,3 3\n`);
    expect(moved.errors).toEqual([
      expect.objectContaining({
        row: 2,
        code: "CONFLICT",
        message: expect.stringMatching(/imported as R CC; the manifest now says L MLO/),
      }),
    ]);
    expect(await database.db.pathologyLabel.count({ where: { finding: { case: { accessionKey: "E-0020" } } } })).toBe(
      1,
    );
    expect(await database.db.annotation.count({ where: { image: { case: { accessionKey: "E-0020" } } } })).toBe(1);
  });

  it("import defect 3: one file listed twice with two placements is refused; no label for a breast without an image", async () => {
    const summary = await run(
      [
        "file,patient,case,laterality,view,subtype,specimen_source",
        "tall.png,P-0021,E-0021,R,CC,BENIGN,BIOPSY",
        "tall.png,P-0021,E-0021,L,MLO,SOLID,BIOPSY",
      ].join("\n"),
    );
    expect(summary.errors.map((e) => [e.row, e.code])).toEqual([
      [2, "INVALID_MANIFEST"],
      [3, "INVALID_MANIFEST"],
    ]);
    expect(summary.errors[0]!.message).toMatch(/listed with two placements \(laterality R and L on rows 2, 3\)/);
    expect(await database.db.case.count({ where: { accessionKey: "E-0021" } })).toBe(0);
    expect(await database.db.finding.count({ where: { case: { accessionKey: "E-0021" } } })).toBe(0);
  });

  it("places labels and regions on the findings the manifest names: one lesion in CC and MLO, two lesions of one image", async () => {
    const summary = await run(
      [
        "file,patient,case,laterality,view,finding,subtype,specimen_source,roi_shape,roi",
        "wide-22.png,P-0022,E-0022,L,CC,mass,SCIRRHOUS,SURGERY,point,10 10",
        "tall-22.png,P-0022,E-0022,L,MLO,mass,,,point,5 20",
        "tall-22.png,P-0022,E-0022,L,MLO,calc,BENIGN,BIOPSY,point,7 7",
      ].join("\n"),
    );
    expect(summary).toMatchObject({ errorCount: 0, imageCount: 2, labelCount: 2, regionCount: 3 });
    const findings = await database.db.finding.findMany({
      where: { case: { accessionKey: "E-0022" } },
      include: { annotations: { include: { image: true } } },
      orderBy: { key: "asc" },
    });
    expect(
      findings.map((f) => [f.key, f.laterality, f.truthSubtype, f.annotations.map((a) => a.image.view).sort()]),
    ).toEqual([
      ["calc", "L", "BENIGN", ["MLO"]],
      ["mass", "L", "SCIRRHOUS", ["CC", "MLO"]],
    ]);
    const bothBreasts = await run(
      [
        "file,patient,case,laterality,view,finding,subtype,specimen_source",
        "wide.png,P-0023,E-0023,R,CC,mass,SOLID,SURGERY",
        "tall.png,P-0023,E-0023,L,CC,mass,SOLID,SURGERY",
      ].join("\n"),
    );
    expect(bothBreasts.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/finding mass is placed on both breasts \(rows 2, 3\)/),
      expect.stringMatching(/finding mass is placed on both breasts/),
    ]);
  });

  // Who may import is decided before ingest (@mammo/access authorizeImport, tested there).
  it("refuses a manifest without its required columns", async () => {
    await expect(run("name,patient\nx,P-1")).rejects.toThrow(/unknown column\(s\): name/);
    await expect(run("file,case\nx,P-1")).rejects.toThrow(/no "patient" column/);
  });

  it("leaves no orphan blob when a case fails to save", async () => {
    // The same DICOM instance (same SOP Instance UID) cannot be imported into another patient's case.
    const blobFiles = async () =>
      (await readdir(blobDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
    const countBefore = await blobFiles();
    const summary = await run("file,patient,case\nrcc.dcm,P-0009,E-0009\n");
    expect(summary.errors).toEqual([expect.objectContaining({ row: 2, code: "CONFLICT" })]);
    expect(await database.db.case.count({ where: { accessionKey: "E-0009" } })).toBe(0);
    expect(await blobFiles()).toBe(countBefore);
  });
});

const MINI_MIAS =
  process.env.MINI_MIAS_DIR ?? path.resolve(import.meta.dirname, "../../../../../shared/data/mini-mias");
const hasMiniMias = existsSync(path.join(MINI_MIAS, "labels.csv"));
if (!hasMiniMias)
  console.warn(`[mini-MIAS] folder absent at ${MINI_MIAS}: the mini-MIAS import test is SKIPPED (set MINI_MIAS_DIR)`);

describe.skipIf(!hasMiniMias)("mini-MIAS development set (real images, read in place)", () => {
  it("imports known images with their lesion circles on the right pixel row and column", async () => {
    const known = ["mdb001", "mdb002", "mdb010", "mdb019"]; // e.g. mdb001: x 535, y 425 (bottom-left origin)
    const labels = (await readFile(path.join(MINI_MIAS, "labels.csv"), "utf8")).split("\n");
    const subset = [labels[0], ...labels.filter((l) => known.includes(l.split(",")[0]!))].join("\n");
    const summary = await importManifest(
      { db: database.db, blobs, deidSecret: SECRET },
      {
        actorUserId: adminId,
        siteId,
        source: "cli",
        manifestCsv: miniMiasManifest(subset),
        readFile: async (name) => readFile(await resolveInside(MINI_MIAS, name)),
      },
    );
    expect(summary).toMatchObject({ errorCount: 0, imageCount: 4 });
    for (const line of subset.split("\n").slice(1)) {
      const [image, patient, , , , , x, y, radius] = line.split(",");
      const annotation = await database.db.annotation.findFirstOrThrow({
        where: {
          image: {
            case: { accessionKey: `MIAS-${patient}` },
            laterality: image === "mdb001" || image === "mdb019" ? "R" : "L",
          },
        },
        include: { image: true },
      });
      const g = annotation.geometry as { cx: number; cy: number; rx: number };
      expect([annotation.image.widthPx, annotation.image.heightPx]).toEqual([1024, 1024]);
      expect({ image, row: Math.floor(g.cy), col: Math.floor(g.cx), r: g.rx }).toEqual({
        image,
        row: 1024 - Number(y),
        col: Number(x),
        r: Number(radius),
      });
    }
    const mdb001 = await database.db.annotation.findFirstOrThrow({
      where: { image: { case: { accessionKey: "MIAS-P001" }, laterality: "R" } },
    });
    expect(mdb001.geometry).toMatchObject({ cx: 535.5, cy: 599.5 }); // row 1024 - 425 = 599
  });
});
