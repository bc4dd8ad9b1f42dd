import { ConfusionMatrix } from "@/components/charts/confusion-matrix";
import { formatNumber, formatPercent } from "@/lib/format";
import { subtypeLabel } from "@/lib/labels";

export type ClassificationMetrics = {
  n: number;
  accuracy: number;
  accuracyCi?: [number, number];
  perClass: {
    className: string;
    support: number;
    precision: number | null;
    recall: number | null;
    f1: number | null;
    auc: number | null;
  }[];
  macro: { precision: number | null; recall: number | null; f1: number | null; auc: number | null; classes?: number };
  confusion: { classes: string[]; counts: number[][] };
};

/** Accuracy with its interval, per-class precision/recall/F1/AUC, and the confusion matrix. */
export function ClassificationMetricsView({ metrics, title }: { metrics: ClassificationMetrics; title: string }) {
  return (
    <div className="stack">
      <p>
        {title}: accuracy <strong data-testid="accuracy">{formatPercent(metrics.accuracy)}</strong>
        {metrics.accuracyCi ? (
          <span className="muted">
            {" "}
            (95% CI {formatPercent(metrics.accuracyCi[0])}–{formatPercent(metrics.accuracyCi[1])})
          </span>
        ) : null}{" "}
        on {metrics.n} images · macro precision {formatNumber(metrics.macro.precision)} · macro F1{" "}
        {formatNumber(metrics.macro.f1)} · macro AUC {formatNumber(metrics.macro.auc)}
      </p>
      <div className="charts-row">
        <table aria-label={`${title} per class`} style={{ width: "auto" }}>
          <thead>
            <tr>
              <th>Class</th>
              <th>Support</th>
              <th>Precision</th>
              <th>Recall</th>
              <th>F1</th>
              <th>AUC</th>
            </tr>
          </thead>
          <tbody>
            {metrics.perClass.map((c) => (
              <tr key={c.className}>
                <td>{subtypeLabel(c.className)}</td>
                <td>{c.support}</td>
                <td title={c.precision === null ? "undefined: never predicted (0 in the macro mean)" : undefined}>
                  {c.precision === null ? "undefined" : formatNumber(c.precision)}
                </td>
                <td title={c.recall === null ? "undefined: no image of this class (0 in the macro mean)" : undefined}>
                  {c.recall === null ? "undefined" : formatNumber(c.recall)}
                </td>
                <td>{formatNumber(c.f1)}</td>
                <td>{formatNumber(c.auc)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ConfusionMatrix
          classes={metrics.confusion.classes}
          counts={metrics.confusion.counts}
          title={`${title}: confusion matrix`}
        />
      </div>
    </div>
  );
}
