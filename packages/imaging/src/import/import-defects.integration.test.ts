// Issue 13, "Import defects found on real files": one test per defect of the ingest half
// (1, 4, 6, 7, 8, 10 here; 5 in cli/import-cli.integration.test.ts; 9 in the API's upload routes).
import pg from "pg";
import sharp, { type PngOptions } from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDicom, MG_FOR_PRESENTATION, patternPixels } from "../../test/fixtures/synthetic-dicom.ts";
import { startImportHarness, type ImportHarness } from "../../test/import-harness.ts";

let harness: ImportHarness;
beforeAll(async () => {
  harness = await startImportHarness("DEF");
});
afterAll(() => harness?.stop());

// Real views differ in their pixels (`seed` changes one pixel); each file is its own study unless told.
const dicom = (seed: number, attributes: Record<string, unknown> = {}) =>
  buildDicom({
    pixels: Uint16Array.from(patternPixels(48, 40, 12), (v, i) => (i === 0 ? seed : v)),
    attributes: {
      ImageLaterality: "L",
      ViewPosition: "CC",
      SOPInstanceUID: `1.2.999.13.${seed}`,
      StudyInstanceUID: `1.2.999.13.${seed}.0`,
      ...attributes,
    },
  });
const png = (value: number, options: PngOptions = {}) =>
  sharp(Buffer.alloc(40 * 30, value), { raw: { width: 40, height: 30, channels: 1 } })
    .png(options)
    .toBuffer();
const put = (name: string, bytes: Uint8Array) => harness.put(name, bytes);
const run = (manifest: string | Uint8Array) => harness.run(manifest);

describe("import defects found on real files (issue 13)", () => {
  it("1: refuses identical pixel content under two patients, for PNG (re-encoded too) and DICOM", async () => {
    await put("same.png", await png(70, { compressionLevel: 9 }));
    // One file listed under two patients: neither gets it.
    const twice = await run("file,patient,laterality,view\nsame.png,T-G1,L,CC\nsame.png,T-B7,L,CC\n");
    expect(twice.errors.map((e) => [e.row, e.code])).toEqual([
      [2, "INVALID_MANIFEST"],
      [3, "INVALID_MANIFEST"],
    ]);
    expect(twice.errors[0]!.message).toMatch(/listed under patients T-G1 and T-B7/);
    expect(await harness.db.image.count({ where: { case: { siteId: harness.siteId } } })).toBe(0);

    // The same pixels again, re-encoded with other settings (another sha256), under another patient.
    expect((await run("file,patient,laterality,view\nsame.png,T-G1,L,CC\n")).imageCount).toBe(1);
    await put("reencoded.png", await png(70, { compressionLevel: 0, adaptiveFiltering: true }));
    const leaked = await run("file,patient,laterality,view\nreencoded.png,T-B7,L,CC\n");
    expect(leaked.errors).toEqual([
      {
        row: 2,
        file: "reencoded.png",
        code: "CONFLICT",
        message:
          "the same pixels are already imported in case T-G1 of patient T-G1; one image cannot belong to two patients",
      },
    ]);
    // Under the same patient and case it is the image already there, not a second one.
    const again = await run("file,patient,laterality,view\nreencoded.png,T-G1,L,CC\n");
    expect(again).toMatchObject({ imageCount: 0, skippedDuplicateCount: 1, errorCount: 0 });

    // DICOM: the same pixels re-exported with a new SOP Instance UID (the UID alone let it through).
    await put("first.dcm", dicom(7, { SOPInstanceUID: "1.2.999.13.7001", StudyInstanceUID: "1.2.999.13.8001" }));
    await put("copy.dcm", dicom(7, { SOPInstanceUID: "1.2.999.13.7002", StudyInstanceUID: "1.2.999.13.8002" }));
    expect((await run("file,patient\nfirst.dcm,T-G2\n")).imageCount).toBe(1);
    const copy = await run("file,patient\ncopy.dcm,T-B8\n");
    expect(copy.errors[0]).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/same pixels/) });
    expect(await harness.db.patient.count({ where: { pseudonym: { in: ["T-B7", "T-B8"] } } })).toBe(0);
  });

  it("4: reads a UTF-8 manifest with accented names and notes; refuses a Latin-1 one, saying so", async () => {
    await put("lésion à droite.png", await png(71));
    const csv =
      "file,patient,laterality,view,subtype,specimen_source,note\nlésion à droite.png,T-U1,L,CC,BENIGN,BIOPSY,Lésion bénigne\n";
    const batches = await harness.db.importBatch.count();
    await expect(run(new Uint8Array(Buffer.from(csv, "latin1")))).rejects.toThrow(
      /manifest is not UTF-8: line 2 has the byte 0xE9.*Save it as UTF-8/,
    );
    expect(await harness.db.importBatch.count()).toBe(batches); // refused before anything was written
    const summary = await run(new Uint8Array(Buffer.from(csv, "utf8")));
    expect(summary).toMatchObject({ imageCount: 1, errorCount: 0 });
    const label = await harness.db.pathologyLabel.findFirstOrThrow({
      where: { finding: { case: { accessionKey: "T-U1" } } },
    });
    expect(label.note).toBe("Lésion bénigne");
  });

  it("6: keeps no file name and no original UID or name in the database: rows, errors, audit", async () => {
    const uidName = "2.25.36600640707962011814871372903462246739.dcm";
    await put(
      uidName,
      dicom(11, {
        SOPInstanceUID: "2.25.36600640707962011814871372903462246739",
        StudyInstanceUID: "1.2.999.13.66.1",
        SeriesInstanceUID: "1.2.999.13.66.2",
        PatientName: "Doe^Jane",
        PatientID: "MRN-998877",
      }),
    );
    await put("Jane_Doe_1970-01-01.png", new TextEncoder().encode("\x89PNG\r\n\x1a\n broken"));
    const summary = await run(
      [
        "file,patient,case,roi_shape,roi",
        `${uidName},T-N1,E-N1,,`,
        "Jane_Doe_1970-01-01.png,T-N2,E-N2,,",
        "Smith_John_missing.dcm,T-N3,E-N3,,",
        "../Doe_folder/x.dcm,T-N4,E-N4,,",
        "ok.png,Jane Doe,E-N5,,",
      ].join("\n"),
    );
    // The importer's own output names the files...
    expect(summary.errors.map((e) => e.file)).toEqual(
      expect.arrayContaining(["Jane_Doe_1970-01-01.png", "Smith_John_missing.dcm", "../Doe_folder/x.dcm"]),
    );
    // ...the database holds none of it, nor the header's identifiers.
    const text = await everyRowAsText(harness.database.url);
    for (const secret of [uidName, "2.25.36600640707962011814871372903462246739", "1.2.999.13.66.1", "1.2.999.13.66.2"])
      expect(text).not.toContain(secret);
    for (const secret of ["Jane", "Doe", "Smith", "MRN-998877", "1970-01-01"]) expect(text).not.toContain(secret);
    expect(text).toContain('"code": "FILE_NOT_FOUND"'); // the errors are there, by row and code
    expect(await harness.db.image.count({ where: { case: { accessionKey: "E-N1" } } })).toBe(1);
  });

  it("7: refuses one study split across two patients; two cases of one patient may share it", async () => {
    const study = { StudyInstanceUID: "1.2.999.13.77.1" };
    await put("s1.dcm", dicom(21, { ...study, SOPInstanceUID: "1.2.999.13.77.11" }));
    await put("s2.dcm", dicom(22, { ...study, SOPInstanceUID: "1.2.999.13.77.12", ViewPosition: "MLO" }));
    await put("s3.dcm", dicom(23, { ...study, SOPInstanceUID: "1.2.999.13.77.13", ImageLaterality: "R" }));
    const summary = await run("file,patient,case\ns1.dcm,T-S1,E-S1\ns2.dcm,T-S2,E-S2\ns3.dcm,T-S1,E-S1B\n");
    expect(summary).toMatchObject({ imageCount: 2, errorCount: 1 });
    expect(summary.errors[0]).toMatchObject({
      row: 3,
      code: "CONFLICT",
      message:
        "this file's study (its Study Instance UID) is already imported in case E-S1 of patient T-S1; one study belongs to one patient",
    });
    const images = await harness.db.image.findMany({ where: { case: { patient: { pseudonym: "T-S1" } } } });
    expect(new Set(images.map((i) => i.studyInstanceUid)).size).toBe(1);
    expect(images[0]!.studyInstanceUid).toMatch(/^2\.25\./); // the replacement, never the original
  });

  it("8: records view modifiers, and keeps FOR PROCESSING images marked as such", async () => {
    const code = (value: string, meaning: string) => ({
      CodeValue: value,
      CodingSchemeDesignator: "SRT",
      CodeMeaning: meaning,
    });
    await put(
      "spot.dcm",
      dicom(31, {
        ViewCodeSequence: [
          { ...code("R-10242", "cranio-caudal"), ViewModifierCodeSequence: [code("R-102D7", "Spot Compression")] },
        ],
      }),
    );
    await put(
      "raw.dcm",
      dicom(32, {
        SOPClassUID: `${MG_FOR_PRESENTATION}.1`,
        PresentationIntentType: "FOR PROCESSING",
        ViewPosition: "MLO",
      }),
    );
    await put("magnified.png", await png(72));
    const summary = await run(
      "file,patient,case,laterality,view\nspot.dcm,T-V1,E-V1,,\nraw.dcm,T-V1,E-V1,,\nmagnified.png,T-V1,E-V1,R,MCC\n",
    );
    expect(summary).toMatchObject({ imageCount: 3, errorCount: 0 });
    const images = await harness.db.image.findMany({
      where: { case: { accessionKey: "E-V1" } },
      orderBy: { createdAt: "asc" },
    });
    expect(images.map((i) => [i.view, i.viewModifiers, i.presentationIntent, i.status])).toEqual([
      ["CC", ["SPOT_COMPRESSION"], "FOR_PRESENTATION", "ACTIVE"],
      ["MLO", [], "FOR_PROCESSING", "ACTIVE"],
      ["CC", ["MAGNIFICATION"], "FOR_PRESENTATION", "ACTIVE"],
    ]);
  });

  it("10: a conflict names the other case on its own row; messages carry no 'row N:'; a no-op counts no case", async () => {
    await put("owned.dcm", dicom(41, { SOPInstanceUID: "1.2.999.13.99.1" }));
    await put("fine.dcm", dicom(42, { SOPInstanceUID: "1.2.999.13.99.2", ImageLaterality: "R" }));
    expect((await run("file,patient,case\nowned.dcm,T-C1,E-C1\n")).imageCount).toBe(1);
    const conflict = await run("file,patient,case,roi_shape,roi\nfine.dcm,T-C2,E-C2,,\nowned.dcm,T-C2,E-C2,,\n");
    expect(conflict.errors).toEqual([
      {
        row: 2,
        file: "fine.dcm",
        code: "CASE_REFUSED",
        message: "another file of case E-C2 failed; the case was not imported",
      },
      {
        row: 3,
        file: "owned.dcm",
        code: "CONFLICT",
        message: "this DICOM instance (its SOP Instance UID) is already imported in case E-C1 of patient T-C1",
      },
    ]);
    const outside = await run("file,patient,case,roi_shape,roi\nfine.dcm,T-C3,E-C3,box,40 30 20 20\n");
    expect(outside.errors[0]).toMatchObject({ code: "INVALID_MANIFEST", message: "roi lies outside the 48x40 image" });
    const noop = await run("file,patient,case\nowned.dcm,T-C1,E-C1\n");
    expect(noop).toMatchObject({ caseCount: 0, imageCount: 0, skippedDuplicateCount: 1, errorCount: 0 });
  });
});

/** Every row of every table of the database, as JSON text. */
async function everyRowAsText(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    const parts: string[] = [];
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${name}" t`);
      parts.push(...rows.rows.map((r) => r.row));
    }
    return parts.join("\n");
  } finally {
    await client.end();
  }
}
