import { describe, expect, it } from "vitest";
import { createProgressReporter } from "./progress-reporter.ts";

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = {
    isTTY,
    columns: 120,
    write: (chunk: string) => (chunks.push(String(chunk)), true),
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
  };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join("") };
}

const batch = (b: number) => ({
  kind: "batch" as const,
  fold: 0,
  folds: 2,
  epoch: 1,
  epochs: 3,
  batch: b,
  batches: 4,
  loss: 0.5,
  accuracy: 0.75,
});
const epoch = {
  kind: "epoch" as const,
  fold: 0,
  folds: 2,
  epoch: 1,
  epochs: 3,
  loss: 0.5,
  accuracy: 0.75,
  valLoss: 0.6,
  valAccuracy: 0.5,
};

describe("CLI progress", () => {
  it("draws a bar on a terminal", () => {
    const { stream, text } = fakeStream(true);
    const reporter = createProgressReporter(stream);
    for (let b = 1; b <= 4; b++) reporter.onProgress(batch(b));
    reporter.onProgress(epoch);
    reporter.stop();
    expect(text()).toMatch(/fold 1\/2 epoch 1\/3 \[[\u2591\u2588]+\] batch \d\/4 {2}loss 0\.500 {2}accuracy 0\.750/);
    expect(text()).toContain("fold 1/2 epoch 1/3: loss 0.500 accuracy 0.750 val_loss 0.600 val_accuracy 0.500\n");
  });

  it("writes only plain lines when the output is not a terminal", () => {
    const { stream, text } = fakeStream(false);
    const reporter = createProgressReporter(stream);
    for (let b = 1; b <= 4; b++) reporter.onProgress(batch(b));
    reporter.onProgress(epoch);
    reporter.onProgress({ kind: "step", message: "scoring" });
    expect(text()).toBe(
      "[trainer] fold 1/2 epoch 1/3: loss 0.500 accuracy 0.750 val_loss 0.600 val_accuracy 0.500\n[trainer] scoring\n",
    );
  });
});
