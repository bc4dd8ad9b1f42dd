import { describe, expect, it } from "vitest";
import { modelQualityFlags } from "./model-flags.ts";

// Wilson 95% intervals worked out separately: 9/30 -> [0.1666, 0.4788]; 25/30 -> [0.6644, 0.9266];
// 21/30 -> [0.5212, 0.8334].
const balanced = {
  classes: ["A", "B", "C"],
  counts: [
    [10, 0, 0],
    [0, 10, 0],
    [0, 0, 10],
  ],
};

describe("modelQualityFlags", () => {
  it("flags an accuracy whose interval contains chance (1/3 for three balanced classes), as the issue's 0.30 model", () => {
    const flags = modelQualityFlags({
      ensemble: { n: 30, accuracy: 0.3, accuracyCi: [0.1666, 0.4788], confusion: balanced },
      folds: [{ fold: 0, bestEpoch: 1, epochsCompleted: 50 }],
    });
    expect(flags.map((f) => f.code)).toEqual(["ACCURACY_AT_CHANCE", "BEST_EPOCH_FIRST"]);
    expect(flags[0]!.message).toContain("does not exclude chance (33.3%: guessing among 3 classes)");
    expect(flags[1]!.message).toBe(
      "the best epoch of fold 1 is the first: validation loss never improved after epoch 1",
    );
  });

  it("does not flag a model clearly above chance that improved after its first epoch", () => {
    expect(
      modelQualityFlags({
        ensemble: { n: 30, accuracy: 25 / 30, accuracyCi: [0.6644, 0.9266], confusion: balanced },
        folds: [
          { fold: 0, bestEpoch: 7, epochsCompleted: 50 },
          { fold: 1, bestEpoch: null },
        ],
      }),
    ).toEqual([]);
  });

  it("takes the most frequent class as chance when it beats guessing (20 of 30 test images are A)", () => {
    const skewed = {
      classes: ["A", "B", "C"],
      counts: [
        [20, 0, 0],
        [5, 0, 0],
        [4, 0, 1],
      ],
    };
    const [flag] = modelQualityFlags({
      ensemble: { n: 30, accuracy: 0.7, accuracyCi: [0.5212, 0.8334], confusion: skewed },
    });
    expect(flag?.message).toContain("chance (66.7%: always answering the most frequent class)");
  });
});
