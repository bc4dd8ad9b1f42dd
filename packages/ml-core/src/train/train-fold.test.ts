import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { leftRightExamples } from "../testing/synthetic-examples.ts";
import { useTrainingTestBackend } from "../testing/test-backend.ts";
import { decodeCheckpoint, encodeCheckpoint, type TrainingCheckpoint } from "./checkpoint.ts";
import { evaluatePrepared } from "./evaluate.ts";
import { resolveTrainingParams } from "./presets.ts";
import { trainFold, type TrainingProgress } from "./train-fold.ts";

beforeAll(async () => {
  await useTrainingTestBackend();
});

// A 1/32-width VGG-16 at 32 px: the loop's behaviour, not the network's, is under test here.
const params = resolveTrainingParams("quick", {
  seed: 42,
  epochs: 3,
  batchSize: 4,
  preprocessing: { inputSize: 32 },
  model: { widthScale: 1 / 32, denseUnits: 8 },
  optimizer: { learningRate: 1e-3 },
});
const classNames = ["left", "right"];
const train = leftRightExamples(8, 32, 1);
const validation = leftRightExamples(4, 32, 2);
const weightsOf = (model: tf.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

describe("trainFold", () => {
  it("reports progress per batch and per epoch, keeps the best epoch by validation loss, and leaks no tensors", async () => {
    const before = tf.memory().numTensors;
    const events: TrainingProgress[] = [];
    const checkpoints: TrainingCheckpoint[] = [];
    const result = await trainFold({
      params,
      classNames,
      train,
      validation,
      onProgress: (e) => void events.push(e),
      onCheckpoint: (c) => void checkpoints.push(c),
    });

    expect(result.status).toBe("completed");
    expect(events.filter((e) => e.kind === "batch")).toHaveLength(3 * 2); // 8 images, batch 4, 3 epochs
    const epochs = events.filter((e) => e.kind === "epoch");
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    for (const e of epochs)
      expect(e).toMatchObject({
        loss: expect.any(Number),
        accuracy: expect.any(Number),
        valLoss: expect.any(Number),
        valAccuracy: expect.any(Number),
      });
    expect(checkpoints.map((c) => c.epochsCompleted)).toEqual([1, 2, 3]);

    const valLosses = result.history.map((h) => h.valLoss!);
    const bestEpoch = valLosses.indexOf(Math.min(...valLosses)) + 1;
    expect(result.best?.epoch).toBe(bestEpoch);
    const reevaluated = evaluatePrepared(result.classifier!.model, validation, "unit", 2);
    expect(reevaluated.loss).toBeCloseTo(result.best!.valLoss, 5);
    expect(result.classifier!.metadata.training).toMatchObject({ params, best: result.best });

    result.classifier!.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("gives the same weights for the same seed, and resumes a stopped run to exactly the same result", async () => {
    const twoEpochs = { ...params, epochs: 2 };
    const straight = await trainFold({ params: twoEpochs, classNames, train, validation });
    const again = await trainFold({ params: twoEpochs, classNames, train, validation });
    expect(weightsOf(again.classifier!.model)).toEqual(weightsOf(straight.classifier!.model));

    // Stop in the middle of epoch 2: the last checkpoint is epoch 1's.
    let batches = 0;
    const stopped = await trainFold({
      params: twoEpochs,
      classNames,
      train,
      validation,
      shouldStop: () => ++batches > 3,
    });
    expect(stopped.status).toBe("stopped");
    expect(stopped.classifier).toBeNull();
    expect(stopped.checkpoint?.epochsCompleted).toBe(1);

    const stored = decodeCheckpoint(encodeCheckpoint(stopped.checkpoint!));
    const resumed = await trainFold({ params: twoEpochs, classNames, train, validation, resumeFrom: stored });
    expect(resumed.status).toBe("completed");
    expect(resumed.history).toEqual(straight.history.map((h, i) => ({ ...h, seconds: resumed.history[i]!.seconds })));
    expect(resumed.best).toEqual(straight.best);
    expect(weightsOf(resumed.classifier!.model)).toEqual(weightsOf(straight.classifier!.model));
    [straight, again, resumed].forEach((r) => r.classifier!.model.dispose());
  });

  it("on a stop that asks for a checkpoint, saves the batches done inside the epoch; the resumed run ends exactly as one never stopped", async () => {
    const twoEpochs = { ...params, epochs: 2 };
    const straight = await trainFold({ params: twoEpochs, classNames, train, validation });

    // Stop after the first batch of epoch 2 (8 images, batch 4: 2 batches per epoch).
    let batches = 0;
    const saved: TrainingCheckpoint[] = [];
    const stopped = await trainFold({
      params: twoEpochs,
      classNames,
      train,
      validation,
      onCheckpoint: (c) => void saved.push(c),
      shouldStop: () => (++batches > 3 ? "checkpoint" : false),
    });
    expect(stopped.status).toBe("stopped");
    expect(saved.map((c) => [c.epochsCompleted, c.inEpoch?.batchesDone ?? null])).toEqual([
      [1, null],
      [1, 1],
    ]);
    expect(stopped.checkpoint).toBe(saved[1]);

    const events: TrainingProgress[] = [];
    const resumed = await trainFold({
      params: twoEpochs,
      classNames,
      train,
      validation,
      resumeFrom: decodeCheckpoint(encodeCheckpoint(stopped.checkpoint!)),
      onProgress: (e) => void events.push(e),
    });
    expect(events.filter((e) => e.kind === "batch").map((e) => e.kind === "batch" && [e.epoch, e.batch])).toEqual([
      [2, 2],
    ]); // only the batch not yet done
    expect(resumed.history).toEqual(straight.history.map((h, i) => ({ ...h, seconds: resumed.history[i]!.seconds })));
    expect(resumed.best).toEqual(straight.best);
    expect(weightsOf(resumed.classifier!.model)).toEqual(weightsOf(straight.classifier!.model));
    // A stop before the epoch's first batch has nothing to add to the epoch's checkpoint.
    const atStart = await trainFold({
      params: twoEpochs,
      classNames,
      train,
      validation,
      shouldStop: () => "checkpoint",
    });
    expect(atStart.checkpoint).toBeNull();
    [straight, resumed].forEach((r) => r.classifier!.model.dispose());
  });

  it("refuses a checkpoint of other parameters, bad labels and missing ImageNet weights", async () => {
    const first = await trainFold({ params: { ...params, epochs: 1 }, classNames, train, validation });
    first.classifier!.model.dispose();
    await expect(trainFold({ params, classNames, train, validation, resumeFrom: first.checkpoint! })).rejects.toThrow(
      /resumeFrom: the checkpoint was made with other training parameters/,
    );
    await expect(trainFold({ params, classNames, train: [{ ...train[0]!, label: 2 }], validation })).rejects.toThrow(
      /train: example 0 has label 2, not one of 0..1/,
    );
    const ueda = resolveTrainingParams("ueda-2020", { preprocessing: { inputSize: 32 } });
    await expect(trainFold({ params: ueda, classNames, train, validation })).rejects.toThrow(
      /model.imagenetWeightsId: preset ueda-2020 starts from ImageNet weights/,
    );
  });
});
