import { describe, expect, it } from "vitest";
import { PRESET_NAMES, resolveTrainingParams } from "../../../../../packages/ml-core/src/train/presets.ts";
import { TRAINING_PARAMETER_KEYS, TRAINING_PRESETS } from "./training-presets.ts";

describe("the API's copy of the training presets", () => {
  it("names exactly ml-core's presets and their overridable parameters", () => {
    expect([...TRAINING_PRESETS].sort()).toEqual([...PRESET_NAMES].sort());
    for (const preset of PRESET_NAMES) {
      const keys = Object.keys(resolveTrainingParams(preset)).filter((k) => k !== "preset");
      expect([...TRAINING_PARAMETER_KEYS].sort()).toEqual(keys.sort());
    }
  });
});
