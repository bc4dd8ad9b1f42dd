import { describe, expect, it } from "vitest";
import { caseLevelAnswer } from "./case-ai-answer.ts";

const classes = ["TUBULE_FORMING", "SOLID", "SCIRRHOUS"];

describe("the AI's case-level answer", () => {
  it("is the class with the highest mean probability over the case's images", () => {
    // One confident image does not outvote three others: mean = [0.35, 0.4, 0.25].
    const result = caseLevelAnswer(classes, [
      [0.9, 0.05, 0.05],
      [0.2, 0.5, 0.3],
      [0.1, 0.6, 0.3],
      [0.2, 0.45, 0.35],
    ]);
    expect(result?.answer).toBe("SOLID");
    expect(result?.probabilities.map((p) => Number(p.toFixed(4)))).toEqual([0.35, 0.4, 0.25]);
  });

  it("breaks ties towards the earlier class and ignores malformed rows", () => {
    expect(
      caseLevelAnswer(classes, [
        [0.4, 0.4, 0.2],
        [0.1, 0.2],
      ])?.answer,
    ).toBe("TUBULE_FORMING");
  });

  it("has no answer without predictions, or for classes that are not subtypes", () => {
    expect(caseLevelAnswer(classes, [])).toBeNull();
    expect(caseLevelAnswer(["cat", "dog"], [[0.3, 0.7]])).toBeNull();
  });
});
