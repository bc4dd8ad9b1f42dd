import { describe, expect, it } from "vitest";
import { classificationSummary } from "../accuracy/classification.ts";
import { seededRandom } from "../util/random.ts";
import { type StudyCase, type StudyRead, studyStatistics } from "./study-statistics.ts";

const classes = ["tubule", "solid", "scirrhous"];

/** A small synthetic two-arm study: 36 cases, 3 readers, AI probabilities, reader confidences. */
function syntheticStudy(withConfidence = true): { cases: StudyCase[]; reads: StudyRead[] } {
  const random = seededRandom(42);
  const pick = (truth: string, skill: number) => (random() < skill ? truth : classes[Math.floor(random() * 3)]!);
  const cases: StudyCase[] = Array.from({ length: 36 }, (_v, k) => {
    const truth = classes[k % 3]!;
    const raw = classes.map((c) => (c === truth ? 1.5 : 0) + random());
    const total = raw.reduce((a, b) => a + b, 0);
    const probabilities = Object.fromEntries(classes.map((c, i) => [c, raw[i]! / total]));
    const answer = classes[raw.indexOf(Math.max(...raw))]!;
    return {
      caseId: `case-${String(k).padStart(2, "0")}`,
      truth,
      site: k < 18 ? "NORTH" : "SOUTH",
      ai: { answer, probabilities },
    };
  });
  const reads: StudyRead[] = [];
  for (const modality of ["unaided", "aided"]) {
    for (const [readerId, skill] of [
      ["r1", 0.5],
      ["r2", 0.6],
      ["r3", 0.7],
    ] as const) {
      for (const c of cases) {
        const answer = pick(c.truth, modality === "aided" ? skill + 0.15 : skill);
        reads.push({
          caseId: c.caseId,
          readerId,
          modality,
          answer,
          ...(withConfidence ? { confidence: Math.round(40 + 60 * random()) } : {}),
        });
      }
    }
  }
  return { cases, reads };
}

describe("studyStatistics", () => {
  it("computes every section of the report for a two-arm study with confidences", () => {
    const { cases, reads } = syntheticStudy();
    const s = studyStatistics({ classes, cases, reads, modalities: ["unaided", "aided"], bootstrapReplicates: 200 });
    expect(s.notes).toEqual([]);
    expect(s.arms.map((a) => a.modality)).toEqual(["unaided", "aided"]);
    const r1 = s.arms[0]!.readers[0]!;
    expect(r1.readerId).toBe("r1");
    const r1Answers = reads.filter((r) => r.readerId === "r1" && r.modality === "unaided");
    expect(r1.summary).toEqual(
      classificationSummary(
        r1Answers.map((r) => ({
          caseId: r.caseId,
          truth: cases.find((c) => c.caseId === r.caseId)!.truth,
          answer: r.answer,
        })),
        { classes },
      ),
    );
    const m = r1.mcnemarVsAi!;
    expect(m.onlyFirstCorrect + m.onlySecondCorrect + m.bothCorrect + m.bothWrong).toBe(36);
    expect(r1.accuracyDifferenceVsAi!.difference).toBeCloseTo(
      r1.summary.accuracy.estimate - s.ai!.summary.accuracy.estimate,
      12,
    );
    expect(r1.roc!.map((x) => x.className)).toEqual(classes);
    expect(r1.delongVsAi!.every((d) => d.test !== null)).toBe(true);
    expect(s.arms[0]!.readerPairs.map((p) => `${p.first}-${p.second}`)).toEqual(["r1-r2", "r1-r3", "r2-r3"]);
    expect(s.arms[0]!.fleiss!.raters).toBe(3);
    expect(s.arms[0]!.aiVsReaders!.map((x) => x.className)).toEqual(classes);
    // Regions: one per read, split by site as the cases are.
    expect(s.arms[1]!.regions.overall.total).toBe(3 * 36);
    expect(s.arms[1]!.regions.bySite.map((x) => x.counts.total)).toEqual([54, 54]);
    expect(s.mrmc!.map((x) => x.analysis.modalities)).toEqual(classes.map(() => ["unaided", "aided"]));
  });

  it("leaves out ROC-based sections, with a note, when readers gave no confidences", () => {
    const { cases, reads } = syntheticStudy(false);
    const s = studyStatistics({ classes, cases, reads, bootstrapReplicates: 200 });
    expect(s.arms[0]!.readers[0]!.roc).toBeNull();
    expect(s.arms[0]!.aiVsReaders).toBeNull();
    expect(s.mrmc).toBeNull();
    expect(s.notes).toContain("MRMC: reads without confidences; no ROC comparison of the arms");
    expect(s.ai!.roc).not.toBeNull();
  });

  it("notes an unbalanced arm instead of failing the whole report", () => {
    const { cases, reads } = syntheticStudy();
    const partial = reads.filter((r) => !(r.readerId === "r3" && r.modality === "aided" && r.caseId === "case-05"));
    const s = studyStatistics({
      classes,
      cases,
      reads: partial,
      modalities: ["unaided", "aided"],
      bootstrapReplicates: 200,
    });
    expect(s.mrmc).toEqual([]);
    expect(s.notes.some((n) => /MRMC tubule: reader r3 has no rating for case case-05 in modality aided/.test(n))).toBe(
      true,
    );
    expect(s.arms[1]!.readers[2]!.summary.n).toBe(35);
  });

  it("names bad input", () => {
    const { cases, reads } = syntheticStudy();
    expect(() =>
      studyStatistics({ classes, cases, reads: [...reads, { caseId: "nope", readerId: "r1", answer: "solid" }] }),
    ).toThrow(/case nope/);
    expect(() =>
      studyStatistics({ classes, cases, reads: [{ caseId: "case-00", readerId: "r1", answer: "lobular" }] }),
    ).toThrow(/"lobular"/);
  });
});
