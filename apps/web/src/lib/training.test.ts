import { describe, expect, it } from "vitest";
import { formatDuration, runProgress } from "./training";

// Two folds training in parallel on two workers, each writing its own position under `folds`
// and, last writer wins, at the top of the progress JSON.
const snapshot = (fold0: [number, number], fold1: [number, number], top: 0 | 1) => {
  const live = (fold: number, [epoch, batch]: [number, number]) => ({ fold, epoch, epochs: 50, batch, batches: 10 });
  const current = top === 0 ? live(0, fold0) : live(1, fold1);
  return { stage: "training", foldCount: 2, ...current, folds: { 0: live(0, fold0), 1: live(1, fold1) } };
};
const run = (progress: Record<string, unknown>) => ({
  status: "RUNNING",
  progress,
  startedAt: "2026-12-06T10:00:00.000Z",
  finishedAt: null,
});
const now = new Date("2026-12-06T10:10:00.000Z");

describe("runProgress", () => {
  it("sums the work of parallel folds, so the bar only moves forward (the old one jumped 51% -> 95% -> 2%)", () => {
    const shares = [
      snapshot([26, 0], [1, 0], 0), // fold 0 wrote last
      snapshot([26, 5], [2, 0], 1), // fold 1 wrote last
      snapshot([27, 0], [2, 5], 0),
      snapshot([48, 0], [3, 0], 1),
    ].map((p) => runProgress(run(p), now).share);
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThan(shares[i - 1]!);
    // Fold 0 at epoch 26 batch 0 (25 of 50 epochs done), fold 1 at epoch 1: (0.5 + 0) / 2.
    expect(shares[0]).toBeCloseTo(0.25, 10);
  });

  it("counts a finished fold whole and a restarted fold from its checkpoint; gives elapsed time and an ETA at the rate so far", () => {
    const p = {
      ...snapshot([1, 0], [1, 0], 1),
      foldResults: { 0: {} },
      checkpoints: { 1: { epochsCompleted: 25 } },
    };
    const { share, elapsedSeconds, etaSeconds } = runProgress(run(p), now);
    expect(share).toBeCloseTo((1 + 0.5) / 2, 10);
    expect(elapsedSeconds).toBe(600);
    expect(etaSeconds).toBeCloseTo(200, 6); // 75% in 600 s: 25% more takes 200 s
    expect(formatDuration(etaSeconds)).toBe("3 min 20 s");
    expect(runProgress({ ...run(p), status: "SUCCEEDED" }, now)).toMatchObject({ share: 1, etaSeconds: 0 });
  });
});
