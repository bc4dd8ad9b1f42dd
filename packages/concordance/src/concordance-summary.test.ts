import { describe, expect, it } from "vitest";
import { summariseConcordance, type ConcordancePair } from "./concordance-summary.ts";

const pair = (over: Partial<ConcordancePair>): ConcordancePair => ({
  source: "ANNOTATION",
  caseId: "c1",
  imageId: "i1",
  laterality: "R",
  view: "CC",
  subtype: "SOLID",
  readerId: null,
  studyId: null,
  region: null,
  lesionKey: "label-1",
  isPointingHit: true,
  energyInside: 0.5,
  iou: 0.4,
  pixelAuc: 0.9,
  uniformHitChance: 0.1,
  uniformEnergyInside: 0.05,
  centreBiasHit: false,
  centreBiasEnergyInside: 0.2,
  ...over,
});

describe("summariseConcordance", () => {
  const pairs = [
    pair({ view: "CC", isPointingHit: true, energyInside: 0.6, iou: 0.5 }),
    pair({ view: "MLO", imageId: "i2", isPointingHit: false, energyInside: 0.2, iou: 0.1, pixelAuc: null }),
    pair({
      caseId: "c2",
      subtype: "SCIRRHOUS",
      lesionKey: "label-2",
      view: "CC",
      isPointingHit: true,
      energyInside: 0.7,
      iou: 0.6,
    }),
    pair({
      caseId: "c2",
      subtype: "SCIRRHOUS",
      lesionKey: "label-2",
      view: "MLO",
      isPointingHit: true,
      energyInside: 0.5,
      iou: 0.4,
    }),
    pair({
      source: "READ",
      readerId: "u1",
      region: "B",
      lesionKey: null,
      isPointingHit: true,
      energyInside: 0.3,
      iou: 0.2,
      pixelAuc: 0.7,
    }),
    pair({
      source: "READ",
      readerId: "u2",
      region: "C",
      lesionKey: null,
      isPointingHit: false,
      energyInside: 0.1,
      iou: 0,
      pixelAuc: 0.3,
    }),
  ];
  const summary = summariseConcordance(pairs);

  it("reports every comparison overall and by source, subtype, reader and A/B/C/D region", () => {
    expect(summary.overall).toMatchObject({ n: 6, pointingHitRate: 4 / 6 });
    expect(summary.overall.meanPixelAuc).toBeCloseTo((0.9 + 0.9 + 0.9 + 0.7 + 0.3) / 5);
    expect(summary.bySource.READ).toMatchObject({ n: 2, pointingHitRate: 0.5 });
    expect(summary.bySubtype.SCIRRHOUS).toMatchObject({ n: 2, pointingHitRate: 1 });
    expect(summary.bySubtype.SCIRRHOUS!.meanEnergyInside).toBeCloseTo(0.6);
    expect(Object.keys(summary.byReader)).toEqual(["u1", "u2"]);
    expect(summary.byRegion).toEqual({
      B: expect.objectContaining({ n: 1, pointingHitRate: 1 }),
      C: expect.objectContaining({ n: 1, pointingHitRate: 0 }),
    });
  });

  it("pairs the CC and MLO comparisons of one lesion (a reader's single mark has no partner)", () => {
    expect(summary.viewConsistency).toMatchObject({
      lesions: 2,
      bothHit: 1,
      oneHit: 1,
      neitherHit: 0,
      hitAgreement: 0.5,
    });
    expect(summary.viewConsistency.meanAbsEnergyDifference).toBeCloseTo((0.4 + 0.2) / 2);
    expect(summary.viewConsistency.meanAbsIouDifference).toBeCloseTo((0.4 + 0.2) / 2);
  });

  it("gives nulls, not NaN, for nothing to summarise", () => {
    expect(summariseConcordance([])).toMatchObject({
      overall: { n: 0, pointingHitRate: null, meanIou: null },
      viewConsistency: { lesions: 0, hitAgreement: null },
    });
  });

  it("reports what chance maps score on the same regions next to the heatmap's figures, over the pairs that have them", () => {
    const summary = summariseConcordance([
      pair({ uniformHitChance: 0.1, uniformEnergyInside: 0.04, centreBiasHit: true, centreBiasEnergyInside: 0.3 }),
      pair({ uniformHitChance: 0.3, uniformEnergyInside: 0.08, centreBiasHit: false, centreBiasEnergyInside: 0.1 }),
      // A comparison made before the baselines were recorded: left out of them, not counted as 0.
      pair({ uniformHitChance: null, uniformEnergyInside: null, centreBiasHit: null, centreBiasEnergyInside: null }),
    ]);
    expect(summary.overall.n).toBe(3);
    expect(summary.overall.chance.n).toBe(2);
    expect(summary.overall.chance.uniformHitRate).toBeCloseTo(0.2, 12);
    expect(summary.overall.chance.uniformEnergyInside).toBeCloseTo(0.06, 12);
    expect(summary.overall.chance.centreBiasHitRate).toBe(0.5);
    expect(summary.overall.chance.centreBiasEnergyInside).toBeCloseTo(0.2, 12);
  });
});
