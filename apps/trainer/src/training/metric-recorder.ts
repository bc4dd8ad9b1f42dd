import type { Db } from "@mammo/db";
import type { TrainingProgress } from "../ml/ml-core.ts";
import { recordLiveProgress, type LiveProgress } from "./run-state.ts";

// Batch points are written at most this often: live enough for a curve, few statements per second.
const FLUSH_INTERVAL_MS = 1000;

type MetricRow = { runId: string; fold: number; epoch: number; batch: number; name: string; value: number };

/**
 * Writes a fold's progress as the TrainingMetric series the web app draws (batch points: loss,
 * accuracy; epoch points, batch -1: loss, accuracy, val_loss, val_accuracy) and its latest values
 * into TrainingRun.progress. A point already recorded (a resumed epoch) is kept as it was.
 */
export function createMetricRecorder(db: Db, runId: string) {
  let pending: MetricRow[] = [];
  let live: LiveProgress | null = null;
  let lastFlush = 0;

  async function flush(): Promise<void> {
    lastFlush = Date.now();
    const rows = pending;
    pending = [];
    if (rows.length > 0) await db.trainingMetric.createMany({ data: rows, skipDuplicates: true });
    if (live) await recordLiveProgress(db, runId, live);
  }

  const point = (fold: number, epoch: number, batch: number, name: string, value: number | null) => {
    if (value !== null && Number.isFinite(value)) pending.push({ runId, fold, epoch, batch, name, value });
  };

  return {
    async batch(event: Extract<TrainingProgress, { kind: "batch" }>) {
      point(event.fold, event.epoch, event.batch, "loss", event.loss);
      point(event.fold, event.epoch, event.batch, "accuracy", event.accuracy);
      live = {
        fold: event.fold,
        epoch: event.epoch,
        epochs: event.epochs,
        batch: event.batch,
        batches: event.batches,
        loss: event.loss,
        accuracy: event.accuracy,
        valLoss: live?.fold === event.fold ? live.valLoss : null,
        valAccuracy: live?.fold === event.fold ? live.valAccuracy : null,
      };
      if (Date.now() - lastFlush >= FLUSH_INTERVAL_MS) await flush();
    },
    async epoch(event: Extract<TrainingProgress, { kind: "epoch" }>) {
      point(event.fold, event.epoch, -1, "loss", event.loss);
      point(event.fold, event.epoch, -1, "accuracy", event.accuracy);
      point(event.fold, event.epoch, -1, "val_loss", event.valLoss);
      point(event.fold, event.epoch, -1, "val_accuracy", event.valAccuracy);
      live = {
        ...(live ?? { batch: 0, batches: 0 }),
        fold: event.fold,
        epoch: event.epoch,
        epochs: event.epochs,
        loss: event.loss,
        accuracy: event.accuracy,
        valLoss: event.valLoss,
        valAccuracy: event.valAccuracy,
      };
      await flush();
    },
    flush,
  };
}
