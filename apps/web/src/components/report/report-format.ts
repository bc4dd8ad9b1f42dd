import { formatPercent } from "@/lib/format";
import type { Figures, Kappa, Report } from "@/lib/study-report";

/** How the report writes its figures: estimates with their 95% intervals, p values, phase names. */
export const ci = (i: { estimate: number; lower: number; upper: number } | null | undefined) =>
  i ? `${formatPercent(i.estimate)} (${formatPercent(i.lower)}–${formatPercent(i.upper)})` : "—";
export const kappaText = (k: Kappa) =>
  k ? `${k.kappa.toFixed(2)} (${k.lower.toFixed(2)}–${k.upper.toFixed(2)})` : "—";
export const pValueText = (p: number | null | undefined) =>
  p === null || p === undefined ? "—" : p < 0.001 ? "<0.001" : p.toFixed(3);
export const phaseName = (p: string) => (p === "AIDED" ? "Aided" : "Unaided");

/** A reader's name from their blinded label (R1, R2...). */
export const readerNameOf = (report: Pick<Report, "readers">) => (label: string) =>
  report.readers.find((r) => r.label === label)?.name ?? label;

/** The confusion matrix in the report's class order (rows: truth). */
export const matrixOf = (classes: string[], f: Figures) =>
  classes.map((k) => f.confusionMatrix.find((r) => r.truth === k)?.counts ?? classes.map(() => 0));
