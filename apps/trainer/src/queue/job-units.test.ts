import { describe, expect, it } from "vitest";
import { leaseKey } from "./job-lease.ts";
import { unitOfJob } from "./job-units.ts";

const run = "5a4f6c1e-2b1d-4e8a-9a63-0b6f2f1f7c11";

describe("units of work and their lease keys", () => {
  it("gives each step of a run its own unit: plan, each fold, publish", () => {
    expect(unitOfJob("train", { trainingRunId: run })).toBe(`train/${run}/plan`);
    expect(unitOfJob("train", { trainingRunId: run, fold: 2 })).toBe(`train/${run}/fold-2`);
    expect(unitOfJob("train", { trainingRunId: run, fold: -1 })).toBe(`train/${run}/publish`);
    expect(unitOfJob("infer", { inferenceRunId: run })).not.toBe(unitOfJob("concordance", { inferenceRunId: run }));
  });

  it("maps a unit to a stable signed 64-bit advisory-lock key", () => {
    const key = leaseKey(`train/${run}/fold-0`);
    expect(key).toBe(leaseKey(`train/${run}/fold-0`));
    expect(key).not.toBe(leaseKey(`train/${run}/fold-1`));
    const value = BigInt(key);
    expect(value >= -(2n ** 63n) && value < 2n ** 63n).toBe(true);
  });
});
