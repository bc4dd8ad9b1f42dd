type Live = { epoch?: number; epochs?: number; batch?: number; batches?: number };

/** What a run's progress JSON (TrainingRun.progress, written by the trainer) holds, as far as the display reads it. */
export type RunProgressJson = Live & {
  stage?: string;
  fold?: number;
  foldCount?: number;
  loss?: number;
  folds?: Record<string, Live>;
  foldResults?: Record<string, unknown>;
  checkpoints?: Record<string, { epochsCompleted: number }>;
};

/** One line of a run's live progress (TrainingRun.progress, written by the trainer). */
export function progressLine(progress: Record<string, unknown> | null): string {
  if (!progress) return "";
  const p = progress as RunProgressJson;
  const parts = [p.stage];
  if (p.fold !== undefined && p.foldCount) parts.push(`fold ${p.fold + 1}/${p.foldCount}`);
  if (p.epoch !== undefined && p.epochs) parts.push(`epoch ${p.epoch}/${p.epochs}`);
  if (typeof p.loss === "number") parts.push(`loss ${p.loss.toFixed(3)}`);
  return parts.filter(Boolean).join(" · ");
}

/** A fold's share done (0..1): its epochs and batches, never less than its last checkpoint. */
function foldShare(live: Live | undefined, checkpointEpochs: number | undefined): number {
  const epochs = live?.epochs;
  if (!epochs) return 0;
  const inEpoch = live.batches ? (live.batch ?? 0) / live.batches : 0;
  const position = live.epoch ? (live.epoch - 1 + inEpoch) / epochs : 0;
  return Math.min(1, Math.max(position, (checkpointEpochs ?? 0) / epochs));
}

/**
 * How far a run is: the work done summed over all its folds (folds train in parallel, each
 * reports its own position; a finished fold counts whole), the time since it started, and the
 * time left at the rate so far (as Keras' and MLflow's progress bars estimate it).
 */
export function runProgress(
  run: {
    status: string;
    progress: Record<string, unknown> | null;
    startedAt: string | null;
    finishedAt: string | null;
  },
  now: Date,
): { share: number; elapsedSeconds: number | null; etaSeconds: number | null } {
  const p = (run.progress ?? {}) as RunProgressJson;
  const elapsedSeconds = run.startedAt
    ? Math.max(
        0,
        ((run.finishedAt ? new Date(run.finishedAt) : now).getTime() - new Date(run.startedAt).getTime()) / 1000,
      )
    : null;
  if (run.status === "SUCCEEDED") return { share: 1, elapsedSeconds, etaSeconds: 0 };
  const folds = p.foldCount ?? 0;
  let done = 0;
  for (let k = 0; k < folds; k++)
    done += p.foldResults?.[k] ? 1 : foldShare(p.folds?.[k], p.checkpoints?.[k]?.epochsCompleted);
  const share = folds > 0 ? done / folds : 0;
  const isActive = run.status === "RUNNING";
  const etaSeconds =
    isActive && elapsedSeconds !== null && share > 0 && share < 1 ? (elapsedSeconds * (1 - share)) / share : null;
  return { share, elapsedSeconds, etaSeconds };
}

/** A duration as "1 h 02 min", "4 min 05 s" or "12 s". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${s} s`;
}
