import { type Prisma, type Db, type Tx } from "@mammo/db";

/** A fold's outcome, kept on the run until the model version is published. */
export type FoldResult = {
  fold: number;
  /** Blob key of the fold's best model (ml-core classifier tar). */
  modelKey: string;
  epochsCompleted: number;
  best: { epoch: number; valLoss: number; valAccuracy: number } | null;
  history: Array<{
    epoch: number;
    loss: number;
    accuracy: number;
    valLoss: number | null;
    valAccuracy: number | null;
    seconds: number;
  }>;
  validationCount: number;
  trainCount: number;
  backend: string;
  codeRevision: string;
  workerId: string;
  finishedAt: string;
};

export type LiveProgress = {
  fold: number;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  valLoss?: number | null;
  valAccuracy?: number | null;
};

/**
 * TrainingRun.progress: the latest live values at the top (what a simple display shows), each
 * fold's own latest values under `folds`, and the run's bookkeeping: checkpoints, finished folds,
 * images left out.
 */
export type RunProgress = Partial<LiveProgress> & {
  stage: "training" | "publishing" | "published" | "cancelled" | "failed";
  foldCount: number;
  folds: Record<string, LiveProgress>;
  checkpoints: Record<string, { key: string; epochsCompleted: number }>;
  foldResults: Record<string, FoldResult>;
  skippedImages: Array<{ imageId: string; reason: string }>;
  isPublishQueued: boolean;
  updatedAt?: string;
};

export function readProgress(value: Prisma.JsonValue | null): RunProgress | null {
  if (!value || typeof value !== "object" || Array.isArray(value) || !("foldCount" in value)) return null;
  return value as unknown as RunProgress;
}

const json = (value: unknown) => JSON.stringify(value);

/** Live values of one fold (one statement, so folds trained at once on several workers do not overwrite each other). */
export async function recordLiveProgress(db: Db, runId: string, live: LiveProgress): Promise<void> {
  const at = new Date().toISOString();
  await db.$executeRawUnsafe(
    `UPDATE "TrainingRun" SET progress = jsonb_set(progress || $2::jsonb, ARRAY['folds', $3::text], $4::jsonb, true)
     WHERE id = $1::uuid AND progress ? 'folds'`,
    runId,
    json({ ...live, updatedAt: at }),
    String(live.fold),
    json({ ...live, updatedAt: at }),
  );
}

/** Points the fold's checkpoint at a newer epoch; never backwards (a stale worker cannot undo progress). Returns the key it replaced. */
export async function recordCheckpoint(
  db: Db,
  runId: string,
  fold: number,
  key: string,
  epochsCompleted: number,
): Promise<string | null> {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRawUnsafe<{ previous: { key: string; epochsCompleted: number } | null }[]>(
      `SELECT progress->'checkpoints'->$2::text AS previous FROM "TrainingRun" WHERE id = $1::uuid FOR UPDATE`,
      runId,
      String(fold),
    );
    const previous = row?.previous ?? null;
    if (previous && previous.epochsCompleted >= epochsCompleted) return null;
    await tx.$executeRawUnsafe(
      `UPDATE "TrainingRun" SET progress = jsonb_set(progress, ARRAY['checkpoints', $2::text], $3::jsonb, true) WHERE id = $1::uuid`,
      runId,
      String(fold),
      json({ key, epochsCompleted }),
    );
    return previous?.key ?? null;
  });
}

/** The run row, locked until the transaction ends (fold results and status changes go through this). */
export async function lockRun(tx: Tx, runId: string) {
  await tx.$executeRawUnsafe(`SELECT 1 FROM "TrainingRun" WHERE id = $1::uuid FOR UPDATE`, runId);
  return tx.trainingRun.findUnique({ where: { id: runId } });
}

export const toJsonInput = (value: unknown) => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
