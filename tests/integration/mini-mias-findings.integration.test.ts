// Issue 13, must-show 1 and 2, on real mammograms: the mini-MIAS development split
// (../shared/data/mini-mias, read in place, never copied) imported through the converter and the
// importer gives one finding per abnormality row and NORMAL breasts; no case is in conflict
// because its two breasts differ; and a finding-unit and a breast-unit dataset (with NORMAL),
// frozen and split by patient, label every item with its own breast's truth, checked against
// labels.csv read here on its own.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { importManifest, miniMiasManifest, resolveInside } from "@mammo/imaging";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSite, createUser, globalId } from "../../apps/api/test/factories.ts";
import { startTestApi, type TestApi } from "../../apps/api/test/harness.ts";

const MINI_MIAS = process.env.MINI_MIAS_DIR ?? path.resolve(import.meta.dirname, "../../../shared/data/mini-mias");
const hasMiniMias = existsSync(path.join(MINI_MIAS, "labels.csv"));
if (!hasMiniMias)
  console.warn(
    `[mini-MIAS] SKIPPED: the mini-MIAS development split is not at ${MINI_MIAS} (the repository's ../shared/data/mini-mias, present in CI; set MINI_MIAS_DIR to run it elsewhere)`,
  );

/** labels.csv, read here on its own: one row per abnormality (NORM rows: a normal breast). */
type Row = { image: string; patient: string; side: "R" | "L"; abnormality: string; severity: string; x: string };
async function readLabels(): Promise<Row[]> {
  const [header, ...lines] = (await readFile(path.join(MINI_MIAS, "labels.csv"), "utf8")).trim().split("\n");
  const columns = header!.split(",");
  return lines.map((line) => {
    const values = line.split(",");
    return Object.fromEntries(columns.map((c, i) => [c, values[i] ?? ""])) as unknown as Row;
  });
}
/** The truth of the breast an image shows: NORMAL, else malignant over benign (mini-MIAS gives no subtype). */
const breastTruthOf = (rows: Row[], image: string) => {
  const own = rows.filter((r) => r.image === image);
  if (own.every((r) => r.abnormality === "NORM")) return "NORMAL";
  return own.some((r) => r.severity === "M") ? "OTHER_INVASIVE" : "BENIGN";
};

describe.skipIf(!hasMiniMias)("mini-MIAS development split: findings per breast, NORMAL, datasets by unit", () => {
  let api: TestApi;
  let siteId: string;
  let coordinator: string;
  let rows: Row[];
  /** The mini-MIAS image (mdbNNN) of each imported image id: the breast it shows. */
  const imageName = new Map<string, string>();

  beforeAll(async () => {
    api = await startTestApi();
    siteId = (await createSite(api.db)).id;
    coordinator = (await createUser(api.db, [{ siteId, role: "COORDINATOR" }])).id;
    rows = await readLabels();
    const summary = await importManifest(
      { db: api.db, blobs: api.blobs, deidSecret: "mini-mias-test-secret" },
      {
        actorUserId: coordinator,
        siteId,
        source: "cli",
        manifestCsv: miniMiasManifest(await readFile(path.join(MINI_MIAS, "labels.csv"), "utf8")),
        readFile: async (name) => readFile(await resolveInside(MINI_MIAS, name)),
      },
    );
    expect(summary.errors).toEqual([]);
    // Each image shows one breast of one woman: case MIAS-Pnnn, laterality from labels.csv.
    for (const image of await api.db.image.findMany({ include: { case: true } })) {
      const row = rows.find((r) => `MIAS-${r.patient}` === image.case.accessionKey && r.side === image.laterality)!;
      imageName.set(image.id, row.image);
    }
  }, 600_000);
  afterAll(async () => {
    await api?.stop();
  });

  it("imports one finding per abnormality row (two rows, two findings) and labels the normal breasts NORMAL", async () => {
    const images = new Set(rows.map((r) => r.image));
    expect(imageName.size).toBe(images.size);
    const abnormal = rows.filter((r) => r.abnormality !== "NORM");
    const findings = await api.db.finding.findMany({
      include: { pathologyLabels: true, annotations: true, case: true },
    });
    const lesions = findings.filter((f) => f.key.includes("#"));
    expect(lesions).toHaveLength(abnormal.length);
    for (const row of abnormal) {
      const n = rows.filter((r) => r.image === row.image).indexOf(row) + 1;
      const finding = lesions.find((f) => f.key === `${row.image}#${n}`)!;
      expect(finding, `${row.image} row ${n}`).toMatchObject({ laterality: row.side });
      expect(finding.case.accessionKey).toBe(`MIAS-${row.patient}`);
      expect(finding.pathologyLabels.map((l) => l.subtype)).toEqual([
        row.severity === "M" ? "OTHER_INVASIVE" : "BENIGN",
      ]);
      // The lesion circle is the finding's region (rows without a position have none).
      expect(finding.annotations).toHaveLength(row.x ? 1 : 0);
    }
    const twoRows = [...images].filter((image) => rows.filter((r) => r.image === image).length > 1);
    expect(twoRows.length).toBeGreaterThan(0); // e.g. mdb223: two calcification clusters, two findings
    const normal = rows.filter((r) => r.abnormality === "NORM");
    const breasts = await api.db.breast.findMany({ include: { case: true } });
    for (const row of normal) {
      const breast = breasts.find((b) => b.case.accessionKey === `MIAS-${row.patient}` && b.laterality === row.side);
      expect(breast, row.image).toMatchObject({ truthStatus: "LABELLED", truthSubtype: "NORMAL" });
    }
    const normalLabels = await api.db.pathologyLabel.findMany({ where: { subtype: "NORMAL" } });
    expect(normalLabels).toHaveLength(normal.length);
    expect(normalLabels.every((l) => l.source === "DATASET")).toBe(true);
  });

  it("gives each breast its own truth; no case is in conflict because its two breasts differ", async () => {
    const cases = await api.db.case.findMany({ include: { breasts: true } });
    expect(cases.filter((c) => c.truthStatus === "CONFLICT").map((c) => c.accessionKey)).toEqual([]);
    let differing = 0;
    for (const c of cases) {
      const expected = (side: string) => {
        const row = rows.find((r) => `MIAS-${r.patient}` === c.accessionKey && r.side === side);
        return row ? breastTruthOf(rows, row.image) : undefined;
      };
      for (const b of c.breasts)
        expect(b.truthSubtype, `${c.accessionKey} ${b.laterality}`).toBe(expected(b.laterality));
      if (new Set(c.breasts.map((b) => b.truthSubtype)).size > 1) differing++;
    }
    // Many women have a normal breast and a lesion, or a benign and a malignant one.
    expect(differing).toBeGreaterThan(20);
  });

  const freeze = async (name: string, filter: Record<string, unknown>) => {
    const created = await api.as<{ createDataset: { id: string } }>(
      coordinator,
      `mutation ($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`,
      { input: { siteId: globalId("Site", siteId), name, filter: { siteIds: [globalId("Site", siteId)], ...filter } } },
    );
    const frozen = await api.as<{ freezeDatasetVersion: { id: string; unit: string; classNames: string[] } }>(
      coordinator,
      `mutation ($input: FreezeDatasetInput!) { freezeDatasetVersion(input: $input) { id unit classNames } }`,
      { input: { datasetId: created.createDataset.id, options: { seed: 5 } } },
    );
    const versionId = Buffer.from(frozen.freezeDatasetVersion.id, "base64").toString().split(":")[1]!;
    const items = await api.db.datasetItem.findMany({ where: { datasetVersionId: versionId } });
    return { version: frozen.freezeDatasetVersion, items };
  };
  const assertSplitByPatient = (items: { patientId: string; split: string }[]) => {
    const splits = new Map<string, Set<string>>();
    for (const i of items) splits.set(i.patientId, (splits.get(i.patientId) ?? new Set()).add(i.split));
    expect([...splits.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set(items.map((i) => i.split))).toEqual(new Set(["TRAIN", "VALIDATION", "TEST"]));
  };

  it("a finding-unit dataset: one item per lesion, labelled with its own breast's truth, split by patient", async () => {
    const { version, items } = await freeze("mini-MIAS lesions", {
      unit: "FINDING",
      subtypes: ["BENIGN", "OTHER_INVASIVE"],
    });
    expect(version).toMatchObject({ unit: "FINDING", classNames: ["BENIGN", "OTHER_INVASIVE"] });
    expect(items).toHaveLength(rows.filter((r) => r.abnormality !== "NORM").length);
    for (const item of items)
      expect(item.subtype, imageName.get(item.imageId)).toBe(breastTruthOf(rows, imageName.get(item.imageId)!));
    assertSplitByPatient(items);
  });

  it("a breast-unit dataset with NORMAL: every breast enters, labelled with its own truth, split by patient", async () => {
    const { version, items } = await freeze("mini-MIAS breasts", {
      unit: "BREAST",
      subtypes: ["NORMAL", "BENIGN", "OTHER_INVASIVE"],
    });
    expect(version).toMatchObject({ unit: "BREAST", classNames: ["NORMAL", "BENIGN", "OTHER_INVASIVE"] });
    expect(items).toHaveLength(imageName.size);
    const mismatches = items.filter((i) => i.subtype !== breastTruthOf(rows, imageName.get(i.imageId)!));
    expect(mismatches).toEqual([]);
    const counts = Object.fromEntries(
      ["NORMAL", "BENIGN", "OTHER_INVASIVE"].map((s) => [s, items.filter((i) => i.subtype === s).length]),
    );
    console.log(`[mini-MIAS] breast-unit dataset: ${items.length} breasts ${JSON.stringify(counts)}`);
    expect(counts.NORMAL).toBe(new Set(rows.filter((r) => r.abnormality === "NORM").map((r) => r.image)).size);
    assertSplitByPatient(items);
  });
});
