import { describe, expect, it } from "vitest";
import { resolveTrainingParams } from "./presets.ts";

describe("resolveTrainingParams", () => {
  it("gives the study's protocol for ueda-2020", () => {
    const p = resolveTrainingParams("ueda-2020");
    expect(p.optimizer).toEqual({
      name: "adam",
      learningRate: 1e-5,
      clipNorm: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
    expect([p.loss, p.epochs, p.batchSize, p.folds, p.classBalance, p.checkpointMetric, p.ensemble]).toEqual([
      "categorical-crossentropy",
      50,
      4,
      4,
      "downsample-per-epoch",
      "val_loss",
      "sum-softmax",
    ]);
    // The reference code trains at 500 px (the preset's documentation says what was chosen where the source disagrees).
    expect(p.preprocessing).toEqual({
      inputSize: 500,
      resize: "square",
      resample: "box-bilinear",
      bitDepth: 8,
      normalization: "unit",
    });
    expect(p.model).toMatchObject({
      architecture: "vgg16",
      head: "study",
      denseUnits: 256,
      dropoutRate: 0.5,
      widthScale: 1,
      convInitializer: "glorot_uniform",
      weights: "imagenet",
    });
    expect(p.augmentation).toEqual({
      rotationRangeRad: 0.1,
      widthShiftFraction: 0.1,
      heightShiftFraction: 0.1,
      brightnessRange: [0.9, 1.1],
      horizontalFlip: true,
      verticalFlip: true,
      fillMode: "reflect",
    });
  });

  it("applies nested overrides, keeps the rest, and returns the whole record", () => {
    const p = resolveTrainingParams("ueda-2020", {
      preprocessing: { inputSize: 224 },
      optimizer: { learningRate: 1e-4 },
      model: { weights: "random" },
      augmentation: null,
    });
    expect(p.preprocessing).toMatchObject({ inputSize: 224, resize: "square", normalization: "unit" });
    expect(p.optimizer.learningRate).toBe(1e-4);
    expect(p.optimizer.clipNorm).toBe(1e-3);
    expect(p.augmentation).toBeNull();
    expect(resolveTrainingParams("ueda-2020").preprocessing.inputSize).toBe(500); // the preset itself is untouched
    expect(resolveTrainingParams("quick")).toMatchObject({
      preset: "quick",
      model: { weights: "random", convInitializer: "he_normal" },
      preprocessing: { inputSize: 64 },
    });
  });

  it("names an unknown or bad parameter", () => {
    expect(() => resolveTrainingParams("ueda-2020", { optimizer: { learningRat: 1 } as never })).toThrow(
      /optimizer.learningRat: is not a training parameter/,
    );
    expect(() => resolveTrainingParams("ueda-2020", { batchSize: 0 })).toThrow(
      /batchSize: must be a positive integer, got 0/,
    );
    expect(() => resolveTrainingParams("ueda-2020", { preprocessing: { resize: "crop" as never } })).toThrow(
      /preprocessing.resize/,
    );
    expect(() => resolveTrainingParams("ueda-2020", { model: { widthScale: 0.5 } })).toThrow(
      /model.widthScale: must be 1 with ImageNet weights/,
    );
    expect(() => resolveTrainingParams("nope" as never)).toThrow(/preset: unknown preset nope/);
  });
});
