import { beforeAll, describe, expect, it } from "vitest";
import { expectPrinted } from "../../test/expect-printed.ts";
import { nicoCadData } from "../../test/fixtures/nico-cad.ts";
import { vanDykeRecords } from "../../test/fixtures/van-dyke.ts";
import { aiVsReaders } from "./ai-vs-readers.ts";
import { buildMrmcDataset, type MrmcDataset } from "./mrmc-dataset.ts";
import { obuchowskiRockette } from "./or-analysis.ts";

// The panel: the Van Dyke readers 1-4 in modality 0; the "AI": reader 0's modality-1 ratings.
let panel: MrmcDataset;
let ai: number[];
beforeAll(() => {
  const records = vanDykeRecords();
  panel = buildMrmcDataset(records.filter((r) => r.modality === "0" && r.readerId !== "0"));
  const full = buildMrmcDataset(records);
  ai = full.ratings[1]![0]!;
});

describe("AI vs the reader panel (1T-RRRC, RJafroc::StSignificanceTestingCadVsRad)", () => {
  it("reproduces the published CAD-vs-radiologists analysis of the Hupse-Karssemeijer data", () => {
    // Chakraborty, RJafroc FROC book, "Standalone CAD vs. Radiologists", tables 2 and 3, rows
    // "Wilcoxon" (RJafroc on dataset09): θ0 = 0.817, θ• = 0.849, ψ• = 0.0317, CI (-0.031, 0.094),
    // F = 0.99, ddf = 878, p = 0.32, σ²_R = 0.000878, Cov2 = 0.000924, Var = 0.0014; 1T-RRFC:
    // CI (0.009, 0.055), F = 10, ddf = 8, p = 0.012. Printed to 2-3 significant digits only.
    const nico = nicoCadData();
    const radiologists = buildMrmcDataset(nico.radiologists);
    const r = aiVsReaders(radiologists, nico.cadScores);
    expectPrinted(r.aiAuc, "0.817");
    expectPrinted(r.meanReaderAuc, "0.849");
    expectPrinted(r.meanDifference, "0.0317");
    expectPrinted(r.lower, "-0.031");
    expectPrinted(r.upper, "0.094");
    expectPrinted(r.f, "0.99");
    expectPrinted(r.df!, "878");
    expectPrinted(r.pValue, "0.32");
    expectPrinted(r.varR, "0.000878");
    expectPrinted(r.cov2, "0.000924");
    expectPrinted(r.varError, "0.0014");
    const fixed = aiVsReaders(radiologists, nico.cadScores, { method: "1T-RRFC" });
    expectPrinted(fixed.lower, "0.009");
    expectPrinted(fixed.upper, "0.055");
    expectPrinted(fixed.f, "10");
    expect(fixed.df).toBe(8);
    expectPrinted(fixed.pValue, "0.012");
  });

  it("gives the same F, ddf and p as OR analysis with the AI replicated as a second arm", () => {
    // Chakraborty's standalone-CAD chapter (RJafrocFrocBook ch. 20, table 2): "2T-RRRC and
    // 1T-RRRC analyses yield identical F-statistics, ddf and p-values".
    const oneT = aiVsReaders(panel, ai);
    const twoT = obuchowskiRockette({
      ...panel,
      modalities: ["readers", "ai"],
      ratings: [panel.ratings[0]!, panel.readers.map(() => [...ai])],
    }).randomReadersRandomCases;
    expect(oneT.f).toBeCloseTo(twoT.f, 10);
    expect(oneT.df).toBeCloseTo(twoT.ddf!, 8);
    expect(oneT.pValue).toBeCloseTo(twoT.pValue, 10);
    expect(oneT.meanDifference).toBeCloseTo(twoT.differences[0]!.difference, 12);
    expect(oneT.lower).toBeCloseTo(twoT.differences[0]!.lower, 10);
  });

  it("gives the readers' mean AUC the single-treatment interval of OR-DBM MRMC", () => {
    // Van Dyke, treatment 1, all five readers: AUC 0.89703704, 95% CI (0.82522360, 0.96885048)
    // (OR-DBM MRMC 2.51 analysis 1(c)); the AI does not enter this interval.
    const all5 = buildMrmcDataset(vanDykeRecords().filter((r) => r.modality === "0"));
    const r = aiVsReaders(all5, ai);
    expectPrinted(r.meanReaderAuc, "0.89703704");
    expectPrinted(r.meanReaderLower, "0.82522360");
    expectPrinted(r.meanReaderUpper, "0.96885048");
  });

  it("1T-RRFC is the t test of the reader-minus-AI differences with J − 1 df", () => {
    const r = aiVsReaders(panel, ai, { method: "1T-RRFC" });
    const diffs = r.readerAucs.map((x) => x.auc - r.aiAuc);
    const m = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    const sd = Math.sqrt(diffs.reduce((a, b) => a + (b - m) ** 2, 0) / (diffs.length - 1));
    expect(r.df).toBe(3);
    expect(r.t).toBeCloseTo(m / (sd / 2), 12);
  });

  it("picks one arm of a multi-arm dataset and refuses to guess", () => {
    const both = buildMrmcDataset(vanDykeRecords());
    const only0 = buildMrmcDataset(vanDykeRecords().filter((r) => r.modality === "0"));
    expect(aiVsReaders(both, ai, { modality: "0" })).toEqual(aiVsReaders(only0, ai));
    expect(() => aiVsReaders(both, ai)).toThrow(/pass `modality`/);
  });
});
