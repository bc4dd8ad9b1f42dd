import type { Report } from "@/lib/study-report";
import { phaseName, readerNameOf } from "./report-format";

const seconds = (ms: number | null) => (ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`);

/**
 * How each reader read, measured by the server: reads and confidences given per phase, the
 * median and total reading time, and each case's reading time (from every image of the case on
 * the reader's screen, or their previous answer if later, to the answer).
 */
export function ReadingTimeSection({ report }: { report: Report }) {
  const nameOf = readerNameOf(report);
  const columns = report.effort.map((e) => ({ readerLabel: e.readerLabel, phase: e.phase }));
  return (
    <div className="panel stack">
      <h2>Reads and reading time</h2>
      <table aria-label="Reads per reader" style={{ width: "auto" }}>
        <caption>Per reader and phase: reads, confidences given, reading time measured by the server</caption>
        <thead>
          <tr>
            <th>Reader</th>
            <th>Phase</th>
            <th>Reads</th>
            <th>Confidences given</th>
            <th>Median reading time</th>
            <th>Total</th>
          </tr>
        </thead>
        <tbody>
          {report.effort.map((e) => (
            <tr key={`${e.readerLabel}-${e.phase}`}>
              <td>
                {e.readerLabel} · {nameOf(e.readerLabel)}
              </td>
              <td>{phaseName(e.phase)}</td>
              <td>{e.reads}</td>
              <td>
                {e.confidencesGiven} of {e.reads}
              </td>
              <td>{seconds(e.medianReadingMs)}</td>
              <td>{seconds(e.timedReads ? e.totalReadingMs : null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details open>
        <summary>Reading time per case</summary>
        <table aria-label="Reading time per case" style={{ width: "auto" }}>
          <caption>Seconds from the case on the reader&apos;s screen to their answer, per case and reader</caption>
          <thead>
            <tr>
              <th>Case</th>
              {columns.map((c) => (
                <th key={`${c.readerLabel}-${c.phase}`}>
                  {c.readerLabel} {phaseName(c.phase).toLowerCase()}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.cases.map((c) => (
              <tr key={c.code}>
                <td>{c.code}</td>
                {columns.map((col) => {
                  const read = c.reads.find((r) => r.readerLabel === col.readerLabel && r.phase === col.phase);
                  return <td key={`${col.readerLabel}-${col.phase}`}>{read ? seconds(read.readingTimeMs) : ""}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
