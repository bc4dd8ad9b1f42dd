// Issue 18: preview and freeze are computed in SQL (dataset-selection.ts); the same data selected
// and split in memory (truth recomputed from the labels with case-truth.ts, split.ts' split and
// digest) gives the same items and the same digest, for every unit.
import type { Db, Laterality, Subtype } from "@mammo/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, createLabel, createSite, createUser, findingOf, globalId } from "../../../test/factories.ts";
import { startTestApi, type TestApi } from "../../../test/harness.ts";
import { breastsNamed, breastTruth, findingTruth, type Truth } from "../pathology/case-truth.ts";
import { datasetDigest, splitByPatient, type SplitCandidate } from "./split.ts";

type Unit = "FINDING" | "BREAST" | "IMAGE";
type Filter = {
  unit: Unit;
  siteIds: string[];
  subtypes: Subtype[];
  requireConsensus?: boolean;
  views?: ("CC" | "MLO")[];
};
const OPTIONS = { seed: 11, fractions: { train: 0.5, validation: 0.25, test: 0.25 }, folds: 2 };

/** The filter's items selected in memory, from the rows (labels, decisions, images), not from the kept truth. */
async function inMemoryItems(db: Db, filter: Filter) {
  const cases = await db.case.findMany({
    where: { siteId: { in: filter.siteIds } },
    include: {
      images: true,
      breasts: true,
      findings: { include: { pathologyLabels: true, consensusDecisions: { where: { supersededAt: null } } } },
    },
  });
  const candidates: (SplitCandidate & { reason: string | null; caseId: string; laterality: Laterality | null })[] = [];
  for (const c of cases) {
    const truths = c.findings.map((f) => ({
      id: f.id,
      laterality: f.laterality,
      ...findingTruth(f.pathologyLabels, f.consensusDecisions[0] ?? null),
    }));
    const breast = (side: Laterality): Truth =>
      breastsNamed(truths).includes(side) ? breastTruth(truths, side) : { status: "UNLABELLED", subtype: null };
    const images = c.images.filter(
      (i) =>
        i.status === "ACTIVE" &&
        i.presentationIntent !== "FOR_PROCESSING" &&
        (!filter.views || filter.views.includes(i.view as "CC" | "MLO")),
    );
    const units =
      filter.unit === "FINDING"
        ? truths.map((f) => ({
            unitId: f.id,
            truth: f as Truth,
            laterality: f.laterality,
            images: images.filter((i) => !f.laterality || i.laterality === f.laterality),
          }))
        : filter.unit === "BREAST"
          ? (["R", "L"] as const).map((side) => ({
              unitId: c.breasts.find((b) => b.laterality === side)?.id ?? `none:${c.id}:${side}`,
              truth: breast(side),
              laterality: side as Laterality | null,
              images: images.filter((i) => i.laterality === side),
            }))
          : images.map((i) => ({ unitId: i.id, truth: breast(i.laterality), laterality: i.laterality, images: [i] }));
    for (const u of units) {
      const { status, subtype } = u.truth;
      const reason =
        status === "UNLABELLED" || status === "CONFLICT" || status === "MIXED"
          ? status
          : !filter.subtypes.includes(subtype!)
            ? "otherClass"
            : filter.requireConsensus && status !== "ADJUDICATED"
              ? "withoutConsensus"
              : u.laterality === null
                ? "unknownBreast"
                : null;
      for (const image of u.images)
        candidates.push({
          unitId: u.unitId,
          imageId: image.id,
          patientId: c.patientId,
          subtype: subtype ?? "",
          contentSha256: image.contentSha256,
          reason,
          caseId: c.id,
          laterality: u.laterality,
        });
    }
  }
  const eligible = candidates.filter((c) => c.reason === null);
  // A finding whose breast holds an entering finding of another class stays out (FINDING unit).
  const entering = eligible.filter(
    (c) => !eligible.some((o) => o.caseId === c.caseId && o.laterality === c.laterality && o.subtype !== c.subtype),
  );
  return splitByPatient(
    entering.map(({ unitId, imageId, patientId, subtype, contentSha256 }) => ({
      unitId,
      imageId,
      patientId,
      subtype,
      contentSha256,
    })),
    OPTIONS,
  );
}

describe("dataset selection in SQL equals the same selection in memory", () => {
  let api: TestApi;
  let siteId: string;
  let coordinator: string;

  beforeAll(async () => {
    api = await startTestApi();
    siteId = (await createSite(api.db)).id;
    coordinator = (await createUser(api.db, [{ siteId, role: "COORDINATOR" }])).id;
    const annotator = (await createUser(api.db, [{ siteId, role: "ANNOTATOR" }])).id;
    const db = api.db;
    const newCase = async (patientId?: string) => createCase(db, api.blobs, siteId, { patientId });
    const label = async (caseId: string, subtype: Subtype, laterality: Laterality, key: string = laterality) =>
      createLabel(db, caseId, annotator, subtype, {
        findingId: (await findingOf(db, caseId, annotator, laterality, key)).id,
      });
    // Twenty women: lesions of several classes, normal breasts, a second exam, and the cases each unit leaves out.
    for (let i = 0; i < 20; i++) {
      const c = await newCase();
      const lesion: Subtype = (["SOLID", "SCIRRHOUS", "BENIGN", "SOLID", "NORMAL"] as const)[i % 5]!;
      const side: Laterality = i % 2 ? "L" : "R";
      await label(c.id, lesion, side);
      if (i % 3 === 0) await label(c.id, "NORMAL", side === "R" ? "L" : "R");
      if (i === 4) await newCase(c.patientId).then((again) => label(again.id, "SOLID", "R")); // a second exam
      if (i === 5) await label(c.id, "SCIRRHOUS", side, "second"); // two lesions of two classes in one breast
      if (i === 6) await label(c.id, "SOLID", side); // a conflict (SCIRRHOUS and SOLID)
      if (i === 7 || i === 10)
        await db.consensusDecision.create({
          data: {
            findingId: (await db.finding.findFirstOrThrow({ where: { caseId: c.id, laterality: side } })).id,
            subtype: lesion,
            method: "UNANIMOUS",
            decidedById: annotator,
          },
        });
      if (i === 8)
        await db.finding.updateMany({ where: { caseId: c.id, laterality: side }, data: { laterality: null } });
      if (i === 9)
        await db.image.updateMany({
          where: { caseId: c.id, view: "CC" },
          data: { presentationIntent: "FOR_PROCESSING" },
        });
    }
  });
  afterAll(async () => {
    await api.stop();
  });

  const FREEZE = `mutation ($input: FreezeDatasetInput!) { freezeDatasetVersion(input: $input) { id digest itemCount } }`;
  const CREATE = `mutation ($input: CreateDatasetInput!) { createDataset(input: $input) { id } }`;
  const PREVIEW = `query ($id: ID!, $options: SplitOptionsInput) { previewDataset(datasetId: $id, options: $options) { digest itemCount excluded { unlabelled conflict mixed otherClass withoutConsensus unknownBreast otherFindingInBreast } } }`;

  const filters: [string, Omit<Filter, "siteIds">][] = [
    ["FINDING", { unit: "FINDING", subtypes: ["SOLID", "SCIRRHOUS", "NORMAL"] }],
    ["BREAST", { unit: "BREAST", subtypes: ["NORMAL", "BENIGN", "SOLID", "SCIRRHOUS"] }],
    ["IMAGE, MLO only", { unit: "IMAGE", subtypes: ["NORMAL", "SOLID"], views: ["MLO"] }],
    ["FINDING, consensus required", { unit: "FINDING", subtypes: ["SOLID", "BENIGN"], requireConsensus: true }],
  ];

  it.each(filters)("%s: the same items, split and digest both ways", async (name, partial) => {
    const filter = { ...partial, siteIds: [siteId] };
    const created = await api.as<{ createDataset: { id: string } }>(coordinator, CREATE, {
      input: { siteId: globalId("Site", siteId), name, filter: { ...filter, siteIds: [globalId("Site", siteId)] } },
    });
    const expected = await inMemoryItems(api.db, filter);
    const preview = (
      await api.as<{ previewDataset: { digest: string; itemCount: number; excluded: Record<string, number> } }>(
        coordinator,
        PREVIEW,
        { id: created.createDataset.id, options: OPTIONS },
      )
    ).previewDataset;
    const frozen = (
      await api.as<{ freezeDatasetVersion: { id: string; digest: string; itemCount: number } }>(coordinator, FREEZE, {
        input: { datasetId: created.createDataset.id, options: OPTIONS },
      })
    ).freezeDatasetVersion;
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect(frozen).toMatchObject({ digest: datasetDigest(expected), itemCount: expected.length });
    expect(preview).toMatchObject({ digest: frozen.digest, itemCount: expected.length });
    const rows = await api.db.datasetItem.findMany({
      where: { datasetVersion: { id: Buffer.from(frozen.id, "base64").toString().split(":")[1]! } },
    });
    const key = (i: { unitId: string; imageId: string; subtype: string; split: string; fold: number | null }) =>
      [i.unitId, i.imageId, i.subtype, i.split, i.fold].join(" ");
    expect(rows.map(key).sort()).toEqual(expected.map(key).sort());
    console.log(`[digest both ways] ${name}: ${expected.length} items, left out ${JSON.stringify(preview.excluded)}`);
  });
});
