import { formatNumber } from "@/lib/format";
import { subtypeLabel } from "@/lib/labels";
import type { Report } from "@/lib/study-report";
import { mrmcMissingReason } from "./mrmc-reason";
import { pValueText } from "./report-format";

/** Obuchowski-Rockette MRMC of reader-averaged AUC, unaided vs aided, per class. */
export function MrmcSection({ report }: { report: Report }) {
  return (
    <div className="panel stack">
      <h2>MRMC: unaided vs aided</h2>
      {report.mrmc?.length ? (
        <table aria-label="MRMC" style={{ width: "auto" }}>
          <caption>
            Reader-averaged AUC of each class against the rest, unaided vs aided (Obuchowski-Rockette, random readers
            and cases)
          </caption>
          <thead>
            <tr>
              <th>Class</th>
              <th>Readers</th>
              <th>Unaided AUC</th>
              <th>Aided AUC</th>
              <th>Difference (95% CI)</th>
              <th>F (ddf)</th>
              <th>p</th>
            </tr>
          </thead>
          <tbody>
            {report.mrmc.map((m) => (
              <tr key={m.subtype}>
                <td>{subtypeLabel(m.subtype)}</td>
                <td>{m.readers.join(", ")}</td>
                <td>{formatNumber(m.unaidedAuc)}</td>
                <td>{formatNumber(m.aidedAuc)}</td>
                <td>
                  {formatNumber(m.difference)} ({formatNumber(m.lower)} to {formatNumber(m.upper)})
                </td>
                <td>
                  {m.f.toFixed(2)} ({m.ddf === null ? "∞" : m.ddf.toFixed(1)})
                </td>
                <td>{pValueText(m.pValue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted" data-testid="mrmc-missing">
          No MRMC comparison: {mrmcMissingReason(report)}
        </p>
      )}
    </div>
  );
}
