/** One line of a run's live progress (TrainingRun.progress, written by the trainer). */
export function progressLine(progress: Record<string, unknown> | null): string {
  if (!progress) return "";
  const p = progress as {
    stage?: string;
    fold?: number;
    foldCount?: number;
    epoch?: number;
    epochs?: number;
    loss?: number;
  };
  const parts = [p.stage];
  if (p.fold !== undefined && p.foldCount) parts.push(`fold ${p.fold + 1}/${p.foldCount}`);
  if (p.epoch !== undefined && p.epochs) parts.push(`epoch ${p.epoch}/${p.epochs}`);
  if (typeof p.loss === "number") parts.push(`loss ${p.loss.toFixed(3)}`);
  return parts.filter(Boolean).join(" · ");
}
