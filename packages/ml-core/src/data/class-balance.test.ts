import { describe, expect, it } from "vitest";
import { SeededRng } from "../random/seeded-rng.ts";
import { balancedEpochIndices } from "./class-balance.ts";

// 10 of class 0, 4 of class 1, 6 of class 2.
const labels = [...Array(10).fill(0), ...Array(4).fill(1), ...Array(6).fill(2)] as number[];

describe("balancedEpochIndices", () => {
  it("down-samples every class to the smallest class, without repeats", () => {
    const epoch = balancedEpochIndices(labels, SeededRng.fromSeed(1));
    expect(epoch).toHaveLength(12);
    expect(new Set(epoch).size).toBe(12);
    const counts = [0, 1, 2].map((c) => epoch.filter((i) => labels[i] === c).length);
    expect(counts).toEqual([4, 4, 4]);
  });

  it("draws a different sample each epoch, so the larger classes are all seen", () => {
    const rng = SeededRng.fromSeed(2);
    const seen = new Set<number>();
    const epochs = Array.from({ length: 20 }, () => balancedEpochIndices(labels, rng));
    epochs.forEach((e) => e.forEach((i) => seen.add(i)));
    expect(seen.size).toBe(labels.length);
    expect(epochs[0]).not.toEqual(epochs[1]);
  });

  it("repeats for the same seed", () => {
    expect(balancedEpochIndices(labels, SeededRng.fromSeed(9))).toEqual(
      balancedEpochIndices(labels, SeededRng.fromSeed(9)),
    );
  });
});
