import type { Report } from "@/lib/study-report";
import { kappaCell, pValueText, phaseName } from "./report-format";

/** Agreement per phase: Fleiss' kappa over all readers, Cohen's kappa per pair and with the AI. */
export function AgreementSection({ report }: { report: Report }) {
  const classes = report.classes;
  return (
    <div className="panel stack">
      <h2>Agreement (kappa)</h2>
      {report.phases.map((p) => (
        <div key={p.phase} className="stack">
          <h3>
            {phaseName(p.phase)}{" "}
            {p.fleissKappa !== null ? (
              <span className="muted">
                · Fleiss&apos; kappa {p.fleissKappa.toFixed(2)} (p {pValueText(p.fleissPValue)})
              </span>
            ) : null}
          </h3>
          <table aria-label={`Kappa ${phaseName(p.phase)}`} style={{ width: "auto" }}>
            <caption>
              Cohen&apos;s kappa, {phaseName(p.phase).toLowerCase()} phase: each reader with the AI and with each other
              reader
            </caption>
            <thead>
              <tr>
                <th>Pair</th>
                <th>Cohen&apos;s kappa (95% CI)</th>
              </tr>
            </thead>
            <tbody>
              {p.readers.map((r) => (
                <tr key={`ai-${r.readerLabel}`}>
                  <td>{r.readerLabel} vs AI</td>
                  <td>
                    {kappaCell(r.kappaVsAi, classes, [
                      { name: r.readerLabel, figures: r.figures },
                      { name: "the AI", figures: report.ai },
                    ])}
                  </td>
                </tr>
              ))}
              {p.readerPairs.map((pair) => (
                <tr key={`${pair.first}-${pair.second}`}>
                  <td>
                    {pair.first} vs {pair.second}
                  </td>
                  <td>
                    {kappaCell({ ...pair.kappa, pValue: 0 }, classes, [
                      {
                        name: pair.first,
                        figures: p.readers.find((r) => r.readerLabel === pair.first)?.figures ?? null,
                      },
                      {
                        name: pair.second,
                        figures: p.readers.find((r) => r.readerLabel === pair.second)?.figures ?? null,
                      },
                    ])}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
