import { formatNumber } from "@/lib/format";
import { subtypeLabel } from "@/lib/labels";
import type { AiVsReaders, ReaderFigures, Report } from "@/lib/study-report";
import { pValueText, phaseName, readerNameOf } from "./report-format";

const differenceText = (d: ReaderFigures["accuracyDifferenceVsAi"]) =>
  d ? `${(d.difference * 100).toFixed(1)} pts (${(d.lower * 100).toFixed(1)} to ${(d.upper * 100).toFixed(1)})` : "—";

function PanelTable({ arms }: { arms: { modality: string; aiVsReaders: AiVsReaders[] | null }[] }) {
  return (
    <table aria-label="AI versus the reader panel" style={{ width: "auto" }}>
      <caption>AI vs the reader panel (random readers and cases)</caption>
      <thead>
        <tr>
          <th>Phase</th>
          <th>Class</th>
          <th>AI AUC</th>
          <th>Mean reader AUC</th>
          <th>Readers − AI (95% CI)</th>
          <th>p</th>
        </tr>
      </thead>
      <tbody>
        {arms.flatMap((a) =>
          (a.aiVsReaders ?? []).map((x) => (
            <tr key={`${a.modality}-${x.className}`}>
              <td>{phaseName(a.modality.toUpperCase())}</td>
              <td>{subtypeLabel(x.className)}</td>
              <td>{formatNumber(x.result.aiAuc)}</td>
              <td>{formatNumber(x.result.meanReaderAuc)}</td>
              <td>
                {formatNumber(x.result.meanDifference)} ({formatNumber(x.result.lower)} to{" "}
                {formatNumber(x.result.upper)})
              </td>
              <td>{pValueText(x.result.pValue)}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

/** Each reader against the AI on the same cases (accuracy difference, McNemar, DeLong), and the panel. */
export function AiVsReadersSection({ report }: { report: Report }) {
  const nameOf = readerNameOf(report);
  const arms = report.statistics?.arms ?? [];
  return (
    <div className="panel stack">
      <h2>AI vs each reader</h2>
      <table aria-label="AI versus readers" style={{ width: "auto" }}>
        <caption>Each reader against the AI on the same cases: accuracy difference, McNemar and DeLong tests</caption>
        <thead>
          <tr>
            <th>Reader</th>
            <th>Phase</th>
            <th>Accuracy − AI (95% CI)</th>
            <th>Only reader right</th>
            <th>Only AI right</th>
            <th>McNemar p</th>
            <th>DeLong p per class</th>
          </tr>
        </thead>
        <tbody>
          {report.phases.flatMap((p) =>
            p.readers.map((r) => (
              <tr key={`${p.phase}-${r.readerLabel}`}>
                <td>
                  {r.readerLabel} · {nameOf(r.readerLabel)}
                </td>
                <td>{phaseName(p.phase)}</td>
                <td>{differenceText(r.accuracyDifferenceVsAi)}</td>
                <td>{r.mcnemarVsAi?.onlyReaderCorrect ?? "—"}</td>
                <td>{r.mcnemarVsAi?.onlyAiCorrect ?? "—"}</td>
                <td>{pValueText(r.mcnemarVsAi?.pValue)}</td>
                <td>
                  {r.delongVsAi?.map((d) => `${subtypeLabel(d.subtype)} ${pValueText(d.pValue)}`).join(", ") ?? "—"}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      {arms.some((a) => a.aiVsReaders?.length) ? <PanelTable arms={arms} /> : null}
    </div>
  );
}
