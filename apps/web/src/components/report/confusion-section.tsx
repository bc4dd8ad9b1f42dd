import { ConfusionMatrix } from "@/components/charts/confusion-matrix";
import type { Report } from "@/lib/study-report";
import { matrixOf, phaseName, readerNameOf } from "./report-format";

/** One confusion matrix for the AI and one per reader and phase. */
export function ConfusionSection({ report }: { report: Report }) {
  const nameOf = readerNameOf(report);
  const classes = report.classes;
  return (
    <div className="panel stack">
      <h2>Confusion matrices</h2>
      <div className="charts-row">
        {report.ai ? (
          <ConfusionMatrix classes={classes} counts={matrixOf(classes, report.ai)} title="AI" answerLabel="AI" />
        ) : null}
        {report.phases.flatMap((p) =>
          p.readers.map((r) => (
            <ConfusionMatrix
              key={`${p.phase}-${r.readerLabel}`}
              classes={classes}
              counts={matrixOf(classes, r.figures)}
              title={`${r.readerLabel} ${nameOf(r.readerLabel)} (${phaseName(p.phase).toLowerCase()})`}
              answerLabel="Reader"
            />
          )),
        )}
      </div>
    </div>
  );
}
