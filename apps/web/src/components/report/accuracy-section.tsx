import type { Report } from "@/lib/study-report";
import { ci, kappaCell, phaseName, readerNameOf } from "./report-format";

/** Accuracy of the AI and of each reader per phase, with kappa against the truth. */
export function AccuracySection({ report }: { report: Report }) {
  const nameOf = readerNameOf(report);
  return (
    <div className="panel stack">
      <h2>Accuracy</h2>
      <table aria-label="Accuracy per reader and AI" style={{ width: "auto" }}>
        <caption>Share of cases answered with the pathology truth, with Wilson 95% intervals</caption>
        <thead>
          <tr>
            <th>Who</th>
            <th>Phase</th>
            <th>Accuracy (95% CI)</th>
            <th>Correct</th>
            <th>Kappa vs truth</th>
          </tr>
        </thead>
        <tbody>
          {report.ai ? (
            <tr>
              <td>AI</td>
              <td>—</td>
              <td>{ci(report.ai.accuracy)}</td>
              <td>
                {report.ai.accuracy.successes} / {report.ai.accuracy.total}
              </td>
              <td>—</td>
            </tr>
          ) : null}
          {report.phases.flatMap((p) =>
            p.readers.map((r) => (
              <tr key={`${p.phase}-${r.readerLabel}`}>
                <td>
                  {r.readerLabel} · {nameOf(r.readerLabel)}
                </td>
                <td>{phaseName(p.phase)}</td>
                <td>{ci(r.figures.accuracy)}</td>
                <td>
                  {r.figures.accuracy.successes} / {r.figures.accuracy.total}
                </td>
                <td>
                  {kappaCell(r.kappaVsTruth, report.classes, [
                    { name: `${r.readerLabel} (${phaseName(p.phase).toLowerCase()})`, figures: r.figures },
                  ])}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}
