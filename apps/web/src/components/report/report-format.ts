import { formatPercent } from "@/lib/format";
import { SUBTYPE_LABEL, subtypeLabel, type Subtype } from "@/lib/labels";
import type { Figures, Kappa, Report } from "@/lib/study-report";

/** How the report writes its figures: estimates with their 95% intervals, p values, phase names. */
export const ci = (i: { estimate: number; lower: number; upper: number } | null | undefined) =>
  i ? `${formatPercent(i.estimate)} (${formatPercent(i.lower)}–${formatPercent(i.upper)})` : "—";
export const kappaText = (k: Kappa) =>
  k ? `${k.kappa.toFixed(2)} (${k.lower.toFixed(2)}–${k.upper.toFixed(2)})` : "—";

/** A rater of a kappa and the answers they gave (column sums of their confusion matrix). */
export type Rater = { name: string; figures: Figures | null };

/** The one class a rater gave to every case, if so: their kappa is then undefined (no variation). */
export function singleClassOf(classes: string[], figures: Figures | null): string | null {
  if (!figures) return null;
  const used = classes.filter((_, j) => figures.confusionMatrix.some((row) => (row.counts[j] ?? 0) > 0));
  return used.length === 1 ? used[0]! : null;
}

/**
 * Cohen's kappa with its interval, or "undefined" with the reason when a rater gave one class to
 * every case (kappa then measures nothing: it is 0 with a zero-width interval by arithmetic).
 */
export function kappaCell(k: Kappa, classes: string[], raters: Rater[]): string {
  for (const rater of raters) {
    const only = singleClassOf(classes, rater.figures);
    if (only) return `undefined: ${rater.name} answered ${subtypeLabel(only)} for every case`;
  }
  return kappaText(k);
}

/** The API's notes in the report's words: class names as people write them, phases named. */
export function readableNote(note: string): string {
  return note
    .replace(/\b(TUBULE_FORMING|SOLID|SCIRRHOUS|OTHER_INVASIVE|BENIGN|NORMAL)\b/g, (m) =>
      SUBTYPE_LABEL[m as Subtype].toLowerCase(),
    )
    .replace(/\bmodality (aided|unaided)\b/g, "$1 phase")
    .replace(/\((aided|unaided)\)/g, "($1 phase)")
    .replace(/^MRMC\b/, "Multi-reader multi-case (MRMC) comparison")
    .replace(/^AI vs readers\b/, "AI against the reader panel");
}
export const pValueText = (p: number | null | undefined) =>
  p === null || p === undefined ? "—" : p < 0.001 ? "<0.001" : p.toFixed(3);
export const phaseName = (p: string) => (p === "AIDED" ? "Aided" : "Unaided");

/** A reader's name from their blinded label (R1, R2...). */
export const readerNameOf = (report: Pick<Report, "readers">) => (label: string) =>
  report.readers.find((r) => r.label === label)?.name ?? label;

/** The confusion matrix in the report's class order (rows: truth). */
export const matrixOf = (classes: string[], f: Figures) =>
  classes.map((k) => f.confusionMatrix.find((r) => r.truth === k)?.counts ?? classes.map(() => 0));
