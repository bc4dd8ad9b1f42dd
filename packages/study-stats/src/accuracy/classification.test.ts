import { describe, expect, it } from "vitest";
import { classificationSummary, confusionMatrix, type LabelledAnswer } from "./classification.ts";
import { wilsonInterval } from "./proportion.ts";

// 10 cases of the three IDC subtypes; the answers make every cell of the matrix easy to count.
const answers: LabelledAnswer[] = [
  ["c1", "tubule", "tubule"],
  ["c2", "tubule", "tubule"],
  ["c3", "tubule", "solid"],
  ["c4", "solid", "solid"],
  ["c5", "solid", "scirrhous"],
  ["c6", "solid", "solid"],
  ["c7", "scirrhous", "scirrhous"],
  ["c8", "scirrhous", "scirrhous"],
  ["c9", "scirrhous", "tubule"],
  ["c10", "scirrhous", "scirrhous"],
].map(([caseId, truth, answer]) => ({ caseId: caseId!, truth: truth!, answer: answer! }));

describe("classificationSummary", () => {
  it("counts the confusion matrix with truth in rows", () => {
    const m = confusionMatrix(answers, ["tubule", "solid", "scirrhous"]);
    expect(m.counts).toEqual([
      [2, 1, 0],
      [0, 2, 1],
      [1, 0, 3],
    ]);
  });

  it("gives accuracy, one-vs-rest sensitivity/specificity with Wilson intervals and macro means", () => {
    const s = classificationSummary(answers, { classes: ["tubule", "solid", "scirrhous"] });
    expect(s.accuracy).toEqual(wilsonInterval(7, 10));
    const solid = s.perClass.find((c) => c.className === "solid")!;
    expect(solid.sensitivity).toEqual(wilsonInterval(2, 3)); // 2 of 3 solid cases called solid
    expect(solid.specificity).toEqual(wilsonInterval(6, 7)); // 1 of 7 others called solid (c3)
    expect(solid.ppv).toEqual(wilsonInterval(2, 3));
    expect(s.macroSensitivity).toBeCloseTo((2 / 3 + 2 / 3 + 3 / 4) / 3, 12);
    expect(s.macroSpecificity).toBeCloseTo((6 / 7 + 6 / 7 + 5 / 6) / 3, 12);
  });

  it("reports undefined metrics as null instead of dividing by zero", () => {
    const s = classificationSummary(answers.slice(0, 3), { classes: ["tubule", "solid", "scirrhous"] });
    expect(s.perClass.find((c) => c.className === "scirrhous")!.sensitivity).toBeNull();
  });

  it("rejects a case scored twice and an unknown class", () => {
    expect(() => classificationSummary([...answers, answers[0]!])).toThrow(/c1 appears twice/);
    expect(() => confusionMatrix(answers, ["tubule", "solid"])).toThrow(/scirrhous/);
  });
});
