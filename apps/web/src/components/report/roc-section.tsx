import { RocChart, type RocCurve } from "@/components/charts/roc-chart";
import { subtypeLabel } from "@/lib/labels";
import type { Report } from "@/lib/study-report";
import { phaseName, readerNameOf } from "./report-format";

/** The AI's curve (dashed) and each reader's for one class in one phase. */
function curvesOf(report: Report, subtype: string, phaseIndex: number): RocCurve[] {
  const nameOf = readerNameOf(report);
  const curves: RocCurve[] = [];
  const ai = report.statistics?.ai?.roc?.find((r) => r.className === subtype);
  if (ai) curves.push({ name: "AI", auc: ai.estimate?.auc ?? null, points: ai.curve, dashed: true });
  for (const reader of report.statistics?.arms[phaseIndex]?.readers ?? []) {
    const roc = reader.roc?.find((r) => r.className === subtype);
    if (roc)
      curves.push({
        name: `${reader.readerId} ${nameOf(reader.readerId)}`,
        auc: roc.estimate?.auc ?? null,
        points: roc.curve,
      });
  }
  return curves;
}

/** ROC curves per class (one vs the rest) and phase. */
export function RocSection({ report }: { report: Report }) {
  return (
    <div className="panel stack">
      <h2>ROC curves (one class vs the rest)</h2>
      <div className="charts-row">
        {report.classes.flatMap((k) =>
          report.phases.map((p, i) => (
            <RocChart
              key={`${k}-${p.phase}`}
              title={`${subtypeLabel(k)} · ${phaseName(p.phase).toLowerCase()}`}
              curves={curvesOf(report, k, i)}
            />
          )),
        )}
      </div>
    </div>
  );
}
