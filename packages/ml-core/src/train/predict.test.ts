import { beforeAll, describe, expect, it } from "vitest";
import { setupBackend } from "../backends/setup-backend.ts";
import { type GreyImage } from "../data/grey-image.ts";
import { createClassifier } from "../model/create-classifier.ts";
import { SeededRng } from "../random/seeded-rng.ts";
import { predictClassifier, predictEnsemble } from "./predict.ts";

beforeAll(async () => {
  await setupBackend("cpu", () => {});
});

const classNames = ["TUBULE_FORMING", "SOLID", "SCIRRHOUS"];
const classifier = (seed: number, inputSize: number) =>
  createClassifier({
    classNames,
    preprocessing: { inputSize, resize: "pad", resample: "box-bilinear", bitDepth: 8, normalization: "unit" },
    head: "gap",
    seed,
    widthScale: 1 / 32,
  });
const rng = SeededRng.fromSeed(5);
const images: GreyImage[] = Array.from({ length: 3 }, () => ({
  width: 50,
  height: 70,
  data: Uint8Array.from({ length: 3500 }, () => rng.int(256)),
}));

describe("predictEnsemble", () => {
  it("sums the fold models' softmax outputs, each model fed with its own preprocessing", () => {
    const folds = [classifier(1, 32), classifier(2, 40)];
    const ensemble = predictEnsemble(folds, images);
    const [a, b] = folds.map((f) => predictClassifier(f, images));
    ensemble.summed.forEach((row, i) =>
      row.forEach((value, k) => expect(value).toBeCloseTo(a![i]![k]! + b![i]![k]!, 6)),
    );
    ensemble.summed.forEach((row) => expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(2, 5));
    expect(ensemble.predicted).toEqual(ensemble.summed.map((row) => row.indexOf(Math.max(...row))));
    expect(ensemble.classNames).toEqual(classNames);
  });

  it("refuses models with different classes", () => {
    const other = createClassifier({
      classNames: ["SOLID", "TUBULE_FORMING", "SCIRRHOUS"],
      preprocessing: { inputSize: 32, resize: "square", resample: "box-bilinear", bitDepth: 8, normalization: "unit" },
      head: "gap",
      seed: 1,
      widthScale: 1 / 32,
    });
    expect(() => predictEnsemble([classifier(1, 32), other], images)).toThrow(
      /model 1 has classes SOLID, TUBULE_FORMING, SCIRRHOUS/,
    );
  });
});
