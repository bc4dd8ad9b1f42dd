import { describe, expect, it } from "vitest";
import { regionOf, regionReport } from "./regions.ts";

describe("regions A/B/C/D", () => {
  it("follows the definition: A reader right/AI wrong, B both right, C reader wrong/AI right, D both wrong", () => {
    expect([regionOf(true, false), regionOf(true, true), regionOf(false, true), regionOf(false, false)]).toEqual([
      "A",
      "B",
      "C",
      "D",
    ]);
  });

  const cases = [
    { caseId: "c1", truth: "solid", aiAnswer: "solid", site: "NORTH" },
    { caseId: "c2", truth: "scirrhous", aiAnswer: "tubule", site: "NORTH" },
    { caseId: "c3", truth: "tubule", aiAnswer: "tubule", site: "SOUTH" },
  ];
  const reads = [
    { caseId: "c1", readerId: "r2", answer: "solid" }, // B
    { caseId: "c1", readerId: "r1", answer: "tubule" }, // C
    { caseId: "c2", readerId: "r1", answer: "scirrhous" }, // A
    { caseId: "c2", readerId: "r2", answer: "solid" }, // D
    { caseId: "c3", readerId: "r1", answer: "tubule" }, // B
  ];

  it("lists each case with truth, AI answer and every reader's answer and region", () => {
    const report = regionReport([...cases].reverse(), reads);
    expect(report.perCase.map((c) => c.caseId)).toEqual(["c1", "c2", "c3"]);
    expect(report.perCase[0]).toEqual({
      caseId: "c1",
      truth: "solid",
      site: "NORTH",
      aiAnswer: "solid",
      aiCorrect: true,
      reads: [
        { readerId: "r1", answer: "tubule", correct: false, region: "C" },
        { readerId: "r2", answer: "solid", correct: true, region: "B" },
      ],
    });
  });

  it("counts regions overall, per reader, per subtype and per site", () => {
    const report = regionReport(cases, reads);
    expect(report.overall).toEqual({ A: 1, B: 2, C: 1, D: 1, total: 5 });
    expect(report.byReader).toEqual([
      { readerId: "r1", counts: { A: 1, B: 1, C: 1, D: 0, total: 3 } },
      { readerId: "r2", counts: { A: 0, B: 1, C: 0, D: 1, total: 2 } },
    ]);
    expect(report.bySubtype.find((s) => s.subtype === "scirrhous")!.counts).toEqual({
      A: 1,
      B: 0,
      C: 0,
      D: 1,
      total: 2,
    });
    expect(report.bySite).toEqual([
      { site: "NORTH", counts: { A: 1, B: 1, C: 1, D: 1, total: 4 } },
      { site: "SOUTH", counts: { A: 0, B: 1, C: 0, D: 0, total: 1 } },
    ]);
  });

  it("names a read of an unknown case and a repeated read", () => {
    expect(() => regionReport(cases, [{ caseId: "c9", readerId: "r1", answer: "solid" }])).toThrow(
      /c9, which is not among the cases/,
    );
    expect(() => regionReport(cases, [reads[0]!, reads[0]!])).toThrow(/r2 answered case c1 twice/);
  });
});
