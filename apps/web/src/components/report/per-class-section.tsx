import { subtypeLabel } from "@/lib/labels";
import type { Figures, Report } from "@/lib/study-report";
import { ci, phaseName, readerNameOf } from "./report-format";

function PerClassTable({ figures, label }: { figures: Figures; label: string }) {
  return (
    <table aria-label={label} style={{ width: "auto" }}>
      <caption>{label}: one class against the rest</caption>
      <thead>
        <tr>
          <th>Class</th>
          <th>Cases</th>
          <th>Sensitivity (95% CI)</th>
          <th>Specificity (95% CI)</th>
          <th>AUC (95% CI)</th>
        </tr>
      </thead>
      <tbody>
        {figures.perClass.map((c) => (
          <tr key={c.subtype}>
            <td>{subtypeLabel(c.subtype)}</td>
            <td>{c.support}</td>
            <td>{ci(c.sensitivity)}</td>
            <td>{ci(c.specificity)}</td>
            <td>{c.auc ? `${c.auc.auc.toFixed(3)} (${c.auc.lower.toFixed(3)}–${c.auc.upper.toFixed(3)})` : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Sensitivity, specificity and AUC per class: the AI's table, each reader's folded away. */
export function PerClassSection({ report }: { report: Report }) {
  const nameOf = readerNameOf(report);
  return (
    <div className="panel stack">
      <h2>Per-class sensitivity and specificity</h2>
      {report.ai ? <PerClassTable figures={report.ai} label="AI per class" /> : null}
      {report.phases.flatMap((p) =>
        p.readers.map((r) => (
          <details key={`${p.phase}-${r.readerLabel}`}>
            <summary>
              {r.readerLabel} · {nameOf(r.readerLabel)} ({phaseName(p.phase).toLowerCase()})
            </summary>
            <PerClassTable figures={r.figures} label={`${r.readerLabel} ${phaseName(p.phase)} per class`} />
          </details>
        )),
      )}
    </div>
  );
}
