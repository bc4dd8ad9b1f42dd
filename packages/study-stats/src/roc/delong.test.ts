import { describe, expect, it } from "vitest";
import { aSAH } from "../../test/fixtures/asah.ts";
import { expectPrinted } from "../../test/expect-printed.ts";
import { aucWithDelong, delongPairedTest, empiricalAuc } from "./delong.ts";
import { oneVsRestPairedDelong, oneVsRestRoc, rocCurve, scoresFromAnswer } from "./roc-curve.ts";

// Reference: pROC 1.18.0 (Robin et al., BMC Bioinformatics 2011;12:77) on its bundled aSAH
// data, the example of ?ci.auc and ?roc.test:
//   roc1 <- roc(aSAH$outcome, aSAH$s100b); roc2 <- roc(aSAH$outcome, aSAH$wfns)
//   ci.auc(roc1)      -> 95% CI: 0.6301-0.8326 (DeLong); var(roc1) -> 0.002668682457
//   roc.test(roc1, roc2) -> Z = -2.209, p-value = 0.02718, CI -0.17421442 -0.01040618,
//                           AUC of roc1 0.7313686, AUC of roc2 0.8236789; cov(roc1, roc2) -> 0.001196155674
const truth = aSAH.map((r) => r.outcome === "Poor");
const s100b = aSAH.map((r) => r.s100b);
const wfns = aSAH.map((r) => r.wfns);

describe("DeLong AUC on pROC's aSAH data", () => {
  it("gives pROC's AUC, variance and interval for S100B", () => {
    const e = aucWithDelong(s100b, truth);
    expectPrinted(e.auc, "0.7313686");
    expectPrinted(e.variance, "0.002668682457");
    expectPrinted(e.lower, "0.6301");
    expectPrinted(e.upper, "0.8326");
    expect([e.positives, e.negatives]).toEqual([41, 72]);
  });

  it("gives pROC's paired DeLong test of S100B against WFNS", () => {
    const t = delongPairedTest(s100b, wfns, truth);
    expectPrinted(t.aucFirst, "0.7313686");
    expectPrinted(t.aucSecond, "0.8236789");
    expectPrinted(t.z, "-2.209");
    expectPrinted(t.pValue, "0.02718");
    expectPrinted(t.lower, "-0.17421442");
    expectPrinted(t.upper, "-0.01040618");
    // The covariance term: var(a) + var(b) − 2 cov(a, b) with pROC's cov(roc1, roc2).
    const va = aucWithDelong(s100b, truth).variance;
    const vb = aucWithDelong(wfns, truth).variance;
    expectPrinted((va + vb - t.variance) / 2, "0.001196155674");
  });
});

describe("ROC curve", () => {
  it("steps through every distinct score from (0,0) to (1,1) with ties as one point", () => {
    const points = rocCurve([0.9, 0.8, 0.8, 0.3], [true, true, false, false]);
    expect(points.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
    expect(empiricalAuc([0.9, 0.8, 0.8, 0.3], [true, true, false, false])).toBe(0.875);
  });

  it("explains a score set with only one class", () => {
    expect(() => aucWithDelong([1, 2], [true, true])).toThrow(/positive and negative/);
  });
});

describe("one-vs-rest per class", () => {
  const classes = ["scirrhous", "solid", "tubule"];
  const cases = [
    { caseId: "1", truth: "tubule", scores: { tubule: 0.7, solid: 0.2, scirrhous: 0.1 } },
    { caseId: "2", truth: "solid", scores: { tubule: 0.3, solid: 0.6, scirrhous: 0.1 } },
    { caseId: "3", truth: "scirrhous", scores: { tubule: 0.2, solid: 0.2, scirrhous: 0.6 } },
    { caseId: "4", truth: "tubule", scores: { tubule: 0.4, solid: 0.5, scirrhous: 0.1 } },
    { caseId: "5", truth: "solid", scores: { tubule: 0.1, solid: 0.3, scirrhous: 0.6 } },
    { caseId: "6", truth: "scirrhous", scores: { tubule: 0.1, solid: 0.1, scirrhous: 0.8 } },
  ];

  it("scores each class against the rest", () => {
    const rocs = oneVsRestRoc(cases, { classes });
    expect(rocs.map((r) => r.className)).toEqual(classes);
    // tubule: positives 0.7, 0.4 vs negatives 0.3, 0.2, 0.1, 0.1 -> perfectly separated.
    expect(rocs[2]!.estimate!.auc).toBe(1);
    // solid: positives 0.6, 0.3 vs 0.2, 0.5, 0.2, 0.1: 0.6 beats 4, 0.3 beats 3 -> 7/8.
    expect(rocs[1]!.estimate!.auc).toBe(7 / 8);
  });

  it("pairs two raters by case id for the per-class DeLong test", () => {
    const reader = cases.map((c) => ({ ...c, scores: scoresFromAnswer(c.truth, 80, classes) }));
    const tests = oneVsRestPairedDelong(cases, [...reader].reverse(), { classes });
    expect(tests[2]!.test!.aucFirst).toBe(1);
    expect(tests[2]!.test!.aucSecond).toBe(1);
    expect(() => oneVsRestPairedDelong(cases, reader.slice(1), { classes })).toThrow(/same cases/);
  });

  it("gives no AUC (instead of failing the whole report) for a class with a single case", () => {
    const few = [
      ...cases,
      { caseId: "7", truth: "lobular", scores: { tubule: 0.1, solid: 0.1, scirrhous: 0.1, lobular: 0.7 } },
    ];
    const rocs = oneVsRestRoc(
      few.map((c) => ({ ...c, scores: { lobular: 0, ...c.scores } })),
      { classes: [...classes, "lobular"] },
    );
    const lobular = rocs.find((r) => r.className === "lobular")!;
    expect(lobular.positives).toBe(1);
    expect(lobular.estimate).toBeNull();
    expect(lobular.curve.at(-1)).toEqual({ threshold: 0, fpr: 1, tpr: 1 });
  });

  it("maps a single answer with confidence to ordered per-class scores", () => {
    expect(scoresFromAnswer("solid", 70, classes)).toEqual({ scirrhous: 30, solid: 170, tubule: 30 });
    expect(() => scoresFromAnswer("lobular", 70, classes)).toThrow(/not one of/);
  });
});
