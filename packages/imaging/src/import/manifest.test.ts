import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { miniMiasManifest } from "../mini-mias/mini-mias-manifest.ts";
import { parseManifest } from "./manifest.ts";
import { resolveInside } from "./safe-file-name.ts";

describe("import manifest", () => {
  it("parses every ROI shape in image pixel coordinates", () => {
    const { rows, errors } = parseManifest(
      [
        "file,patient,case,laterality,view,subtype,specimen_source,roi_shape,roi",
        "a.png,P-1,E-1,R,CC,SOLID,BIOPSY,point,10 20",
        "b.png,P-1,E-1,L,CC,,,box,1 2 30 40",
        "c.png,P-1,E-1,R,MLO,,,ellipse,50 60 5 6 0.5",
        "d.png,P-1,E-1,L,MLO,,,polygon,0 0 10 0 10 10",
      ].join("\n"),
    );
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.roi?.geometry)).toEqual([
      { x: 10, y: 20 },
      { x: 1, y: 2, width: 30, height: 40 },
      { cx: 50, cy: 60, rx: 5, ry: 6, rotationRad: 0.5 },
      {
        points: [
          [0, 0],
          [10, 0],
          [10, 10],
        ],
      },
    ]);
    expect(rows[0]).toMatchObject({ row: 2, label: { subtype: "SOLID", source: "BIOPSY" } });
  });

  it("names findings; a NORMAL label has no region; a finding key needs a label or a region", () => {
    const { rows, errors } = parseManifest(
      [
        "file,patient,laterality,view,finding,subtype,specimen_source,roi_shape,roi",
        "a.png,P-1,R,CC,mass #1,,,,",
        "b.png,P-2,R,CC,,NORMAL,FOLLOW_UP,point,1 2",
        "c.png,P-3,R,CC,mass,,,,",
        "d.png,P-4,L,MLO,mass,SOLID,SURGERY,point,1 2",
      ].join("\n"),
    );
    expect(errors.map((e) => [e.row, e.message])).toEqual([
      [2, `finding "mass #1" must be 1-64 letters, digits, '.', '_', '#' or '-'`],
      [3, expect.stringMatching(/a NORMAL label states the breast is normal: it has no lesion region/)],
      [4, "finding given without a subtype or a region"],
    ]);
    expect(rows[0]).toMatchObject({ finding: "mass", label: { subtype: "SOLID" } });
  });

  it("reports bad rows by CSV line, and refuses their whole case", () => {
    const { rows, errors, refusedCaseKeys } = parseManifest(
      "file,patient,roi_shape,roi\na.png,P-1,circle,1 2 3\nb.png,P-2,box,1 2\nc.png,P-3,,\n",
    );
    expect(errors.map((e) => [e.row, e.message])).toEqual([
      [2, "roi_shape must be point, box, ellipse or polygon (got circle)"],
      [3, 'roi for box must be "x y width height" (got 2 numbers)'],
    ]);
    expect([...refusedCaseKeys]).toEqual(["P-1", "P-2"]);
    expect(rows.map((r) => r.patientKey)).toEqual(["P-3"]);
  });
});

describe("manifest encoding", () => {
  const csv = "file,patient,note\nlésion.png,P-1,Lésion à droite\n";
  it("reads UTF-8 with or without a byte order mark, and UTF-16 with one", () => {
    const utf8 = Buffer.from(csv, "utf8");
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, "utf16le")]);
    for (const bytes of [utf8, withBom, utf16]) {
      const { rows, errors } = parseManifest(new Uint8Array(bytes));
      expect(errors).toEqual([]);
      expect(rows[0]).toMatchObject({ file: "lésion.png", note: "Lésion à droite" });
    }
  });

  it("refuses a Latin-1 manifest with a message that says so, instead of reading \uFFFD", () => {
    const latin1 = new Uint8Array(Buffer.from(csv, "latin1"));
    expect(() => parseManifest(latin1)).toThrow(
      /manifest is not UTF-8: line 2 has the byte 0xE9, which Latin-1 \/ Windows-1252 would show as "é"\. Save it as UTF-8/,
    );
    expect(() => parseManifest(latin1)).toThrow(expect.objectContaining({ code: "INVALID_MANIFEST" }));
    // Bytes no encoding of text produces at that place: an overlong form, a lone continuation byte.
    expect(() => parseManifest(new Uint8Array([...Buffer.from("file,patient\na"), 0xc0, 0xaf]))).toThrow(/byte 0xC0/);
    expect(() => parseManifest(new Uint8Array([...Buffer.from("file,patient\n\na"), 0x80]))).toThrow(/line 3/);
  });

  it("never repeats a refused patient key (it may be a real name) in the error it stores", () => {
    const { errors } = parseManifest("file,patient,specimen_date\na.png,Jane Doe,\n");
    expect(errors[0]!.message).toMatch(/patient key must be a pseudonym/);
    expect(errors[0]!.message).not.toContain("Jane");
  });
});

describe("mini-MIAS manifest converter", () => {
  it("flips the bottom-left origin: (x, y) becomes pixel column x, row height - y", () => {
    const labels =
      "image,patient,side,background_tissue,abnormality,severity,x,y,radius\nmdb001,P001,R,G,CIRC,B,535,425,197\nmdb002,P001,L,G,NORM,,,,\nmdb005,P003,R,F,CALC,M,,,\n";
    const { rows, errors } = parseManifest(miniMiasManifest(labels));
    expect(errors).toEqual([]);
    expect(rows[0]).toMatchObject({
      file: "images/mdb001.png",
      patientKey: "MIAS-P001",
      laterality: "R",
      view: "MLO",
      label: { subtype: "BENIGN", source: "BIOPSY" },
    });
    const g = rows[0]!.roi!.geometry as { cx: number; cy: number; rx: number };
    expect([Math.floor(g.cy), Math.floor(g.cx), g.rx]).toEqual([1024 - 425, 535, 197]);
    // One finding per abnormality row; a normal breast is labelled NORMAL, as the source states.
    expect(rows.map((r) => r.finding)).toEqual(["mdb001#1", "mdb002", "mdb005#1"]);
    expect(rows[1]).toMatchObject({ label: { subtype: "NORMAL", source: "DATASET" }, roi: undefined });
    expect(rows[2]).toMatchObject({ label: { subtype: "OTHER_INVASIVE" }, roi: undefined });
  });

  it("two rows of one image are two findings", () => {
    const labels =
      "image,patient,side,background_tissue,abnormality,severity,x,y,radius\nmdb223,P112,R,D,CALC,B,523,482,29\nmdb223,P112,R,D,CALC,B,591,529,6\n";
    const { rows } = parseManifest(miniMiasManifest(labels));
    expect(rows.map((r) => [r.file, r.finding, r.label?.subtype])).toEqual([
      ["images/mdb223.png", "mdb223#1", "BENIGN"],
      ["images/mdb223.png", "mdb223#2", "BENIGN"],
    ]);
  });
});

describe("file names from manifests", () => {
  it("never leave the import folder: traversal, absolute paths, control bytes, symlinks out", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "safe-names-"));
    try {
      await mkdir(path.join(root, "in"));
      await writeFile(path.join(root, "in", "ok.png"), "x");
      await writeFile(path.join(root, "secret.txt"), "x");
      await symlink(path.join(root, "secret.txt"), path.join(root, "in", "link.png"));
      const folder = path.join(root, "in");
      expect(await resolveInside(folder, "ok.png")).toBe(
        path.join(await import("node:fs/promises").then((f) => f.realpath(folder)), "ok.png"),
      );
      await expect(resolveInside(folder, "../secret.txt")).rejects.toMatchObject({ code: "INVALID_FILE_NAME" });
      await expect(resolveInside(folder, "/etc/passwd")).rejects.toMatchObject({ code: "INVALID_FILE_NAME" });
      await expect(resolveInside(folder, "ok.png\0.dcm")).rejects.toMatchObject({ code: "INVALID_FILE_NAME" });
      await expect(resolveInside(folder, "sub\\..\\x")).rejects.toMatchObject({ code: "INVALID_FILE_NAME" });
      await expect(resolveInside(folder, "link.png")).rejects.toThrow(/resolves outside the import folder/);
      await expect(resolveInside(folder, "missing.png")).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
      // An accented name written decomposed on disk (as macOS does) and composed in the manifest.
      await writeFile(path.join(folder, "le\u0301sion.png"), "x");
      expect(await resolveInside(folder, "l\u00e9sion.png")).toMatch(/sion\.png$/);
      await expect(resolveInside(folder, "missing.png")).rejects.not.toThrow(/missing/); // the name is not repeated
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
