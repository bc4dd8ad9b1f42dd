import Link from "next/link";
import { notFound } from "next/navigation";
import { ConfusionMatrix } from "@/components/charts/confusion-matrix";
import { RocChart, type RocCurve } from "@/components/charts/roc-chart";
import { RegionExplorer, REGION_MEANING, type ExplorerCase } from "@/components/studies/region-explorer";
import { formatNumber, formatPercent } from "@/lib/format";
import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { subtypeLabel } from "@/lib/labels";

type Interval = { estimate: number; lower: number; upper: number; successes: number; total: number };
type Kappa = { kappa: number; lower: number; upper: number; pValue: number } | null;
type ClassFigures = {
  subtype: string;
  support: number;
  sensitivity: Interval | null;
  specificity: Interval | null;
  auc: { auc: number; lower: number; upper: number } | null;
};
type Figures = {
  cases: number;
  accuracy: Interval;
  perClass: ClassFigures[];
  confusionMatrix: { truth: string; counts: number[] }[];
};
type ReaderFigures = {
  readerLabel: string;
  figures: Figures;
  kappaVsTruth: Kappa;
  kappaVsAi: Kappa;
  mcnemarVsAi: {
    onlyReaderCorrect: number;
    onlyAiCorrect: number;
    bothCorrect: number;
    bothWrong: number;
    pValue: number;
  } | null;
  accuracyDifferenceVsAi: { difference: number; lower: number; upper: number } | null;
  delongVsAi: { subtype: string; readerAuc: number | null; aiAuc: number | null; pValue: number | null }[] | null;
};
type Regions = { key: string; a: number; b: number; c: number; d: number; total: number };
type Phase = {
  phase: "UNAIDED" | "AIDED";
  readers: ReaderFigures[];
  readerPairs: { first: string; second: string; kappa: { kappa: number; lower: number; upper: number } }[];
  fleissKappa: number | null;
  fleissPValue: number | null;
  regions: Regions;
  regionsByReader: Regions[];
};
type RocJson = { className: string; curve: { fpr: number; tpr: number }[]; estimate: { auc: number } | null }[] | null;
type Statistics = {
  ai: { roc: RocJson } | null;
  arms: {
    modality: string;
    readers: { readerId: string; roc: RocJson }[];
    aiVsReaders:
      | {
          className: string;
          result: {
            aiAuc: number;
            meanReaderAuc: number;
            meanDifference: number;
            lower: number;
            upper: number;
            pValue: number;
          };
        }[]
      | null;
  }[];
} | null;
type Report = {
  studyName: string;
  unit: "FINDING" | "BREAST" | "CASE";
  closedAt: string | null;
  classes: string[];
  notes: string[];
  readers: { label: string; name: string; email: string; arm: string }[];
  ai: Figures | null;
  phases: Phase[];
  mrmc:
    | {
        subtype: string;
        readers: string[];
        unaidedAuc: number;
        aidedAuc: number | null;
        difference: number | null;
        lower: number | null;
        upper: number | null;
        f: number;
        ddf: number | null;
        pValue: number;
      }[]
    | null;
  excludedCases: { code: string; reason: string }[];
  statistics: Statistics;
  cases: ExplorerCase[];
};

const FIGURES = `cases accuracy { estimate lower upper successes total } perClass { subtype support sensitivity { estimate lower upper successes total } specificity { estimate lower upper successes total } auc { auc lower upper } } confusionMatrix { truth counts }`;
// Three requests: the API's query limits (breadth 100 fields per operation) keep one request from
// asking for the whole report at once.
const QUERY = /* GraphQL */ `
  query Report($studyId: ID!) {
    studyReport(studyId: $studyId) {
      studyName unit closedAt classes notes
      readers { label name email arm }
      ai { ${FIGURES} }
      mrmc { subtype readers unaidedAuc aidedAuc difference lower upper f ddf pValue }
      excludedCases { code reason }
    }
  }
`;
const PHASES_QUERY = /* GraphQL */ `
  query ReportPhases($studyId: ID!) {
    studyReport(studyId: $studyId) {
      phases {
        phase fleissKappa fleissPValue
        readers {
          readerLabel
          figures { ${FIGURES} }
          kappaVsTruth { kappa lower upper pValue } kappaVsAi { kappa lower upper pValue }
          mcnemarVsAi { onlyReaderCorrect onlyAiCorrect bothCorrect bothWrong pValue }
          accuracyDifferenceVsAi { difference lower upper }
          delongVsAi { subtype readerAuc aiAuc pValue }
        }
        readerPairs { first second kappa { kappa lower upper } }
        regions { key a b c d total }
        regionsByReader { key a b c d total }
      }
    }
  }
`;
const CASES_QUERY = /* GraphQL */ `
  query ReportCases($studyId: ID!) {
    studyReport(studyId: $studyId) {
      statistics
      cases {
        code
        siteCode
        truth
        aiAnswer
        images {
          id
          laterality
          view
          widthPx
          heightPx
          displayUrl
        }
        aiHeatmaps {
          imageId
          url
        }
        reads {
          readerLabel
          phase
          answer
          confidence
          isCorrect
          region
          roi {
            imageId
            shape
            geometry
          }
        }
      }
    }
  }
`;

const ci = (i: { estimate: number; lower: number; upper: number } | null | undefined) =>
  i ? `${formatPercent(i.estimate)} (${formatPercent(i.lower)}–${formatPercent(i.upper)})` : "—";
const kappa = (k: Kappa) => (k ? `${k.kappa.toFixed(2)} (${k.lower.toFixed(2)}–${k.upper.toFixed(2)})` : "—");
const pValue = (p: number | null | undefined) =>
  p === null || p === undefined ? "—" : p < 0.001 ? "<0.001" : p.toFixed(3);
const phaseName = (p: string) => (p === "AIDED" ? "Aided" : "Unaided");

function PerClassTable({ figures, label }: { figures: Figures; label: string }) {
  return (
    <table aria-label={label} style={{ width: "auto" }}>
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

export default async function StudyReportPage({ params }: { params: Promise<{ studyId: string }> }) {
  const studyId = decodeURIComponent((await params).studyId);
  let report: Report;
  try {
    const [summary, phases, details] = await Promise.all([
      graphql<{ studyReport: Omit<Report, "phases" | "statistics" | "cases"> }>(QUERY, { studyId }),
      graphql<{ studyReport: Pick<Report, "phases"> }>(PHASES_QUERY, { studyId }),
      graphql<{ studyReport: Pick<Report, "statistics" | "cases"> }>(CASES_QUERY, { studyId }),
    ]);
    report = { ...summary.studyReport, ...phases.studyReport, ...details.studyReport };
  } catch (error) {
    if (error instanceof GraphQLRequestError && (error.code === "NOT_FOUND" || error.code === "BAD_USER_INPUT"))
      notFound();
    if (error instanceof GraphQLRequestError && error.code === "CONFLICT")
      return (
        <section className="panel stack">
          <h1>Report not available yet</h1>
          <p>{error.message}</p>
          <Link href={`/studies/${encodeURIComponent(studyId)}`}>Back to the study</Link>
        </section>
      );
    throw error;
  }
  const nameOf = (label: string) => report.readers.find((r) => r.label === label)?.name ?? label;
  const classes = report.classes;
  const matrix = (f: Figures) =>
    classes.map((k) => f.confusionMatrix.find((r) => r.truth === k)?.counts ?? classes.map(() => 0));
  const rocCurves = (subtype: string, phaseIndex: number): RocCurve[] => {
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
  };

  return (
    <section className="stack report">
      <p>
        <Link href={`/studies/${encodeURIComponent(studyId)}`}>← Study</Link>
      </p>
      <h1>Report: {report.studyName}</h1>
      <p className="muted" data-testid="report-unit">
        Every figure counts one {report.unit === "FINDING" ? "marked finding" : report.unit.toLowerCase()} per study
        case code.
      </p>
      {report.notes.length ? (
        <ul className="muted" aria-label="Notes">
          {report.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      {report.excludedCases.length ? (
        <p className="muted">Left out: {report.excludedCases.map((c) => `${c.code} (${c.reason})`).join("; ")}</p>
      ) : null}

      <div className="panel stack">
        <h2>Accuracy</h2>
        <table aria-label="Accuracy per reader and AI" style={{ width: "auto" }}>
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
                  <td>{kappa(r.kappaVsTruth)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>

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

      <div className="panel stack">
        <h2>Confusion matrices</h2>
        <div className="charts-row">
          {report.ai ? (
            <ConfusionMatrix classes={classes} counts={matrix(report.ai)} title="AI" answerLabel="AI" />
          ) : null}
          {report.phases.flatMap((p) =>
            p.readers.map((r) => (
              <ConfusionMatrix
                key={`${p.phase}-${r.readerLabel}`}
                classes={classes}
                counts={matrix(r.figures)}
                title={`${r.readerLabel} ${nameOf(r.readerLabel)} (${phaseName(p.phase).toLowerCase()})`}
                answerLabel="Reader"
              />
            )),
          )}
        </div>
      </div>

      <div className="panel stack">
        <h2>Agreement (kappa)</h2>
        {report.phases.map((p) => (
          <div key={p.phase} className="stack">
            <h3>
              {phaseName(p.phase)}{" "}
              {p.fleissKappa !== null ? (
                <span className="muted">
                  · Fleiss&apos; kappa {p.fleissKappa.toFixed(2)} (p {pValue(p.fleissPValue)})
                </span>
              ) : null}
            </h3>
            <table aria-label={`Kappa ${phaseName(p.phase)}`} style={{ width: "auto" }}>
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
                    <td>{kappa(r.kappaVsAi)}</td>
                  </tr>
                ))}
                {p.readerPairs.map((pair) => (
                  <tr key={`${pair.first}-${pair.second}`}>
                    <td>
                      {pair.first} vs {pair.second}
                    </td>
                    <td>{kappa({ ...pair.kappa, pValue: 0 })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </div>

      <div className="panel stack">
        <h2>AI vs each reader</h2>
        <table aria-label="AI versus readers" style={{ width: "auto" }}>
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
                  <td>
                    {r.accuracyDifferenceVsAi
                      ? `${(r.accuracyDifferenceVsAi.difference * 100).toFixed(1)} pts (${(r.accuracyDifferenceVsAi.lower * 100).toFixed(1)} to ${(r.accuracyDifferenceVsAi.upper * 100).toFixed(1)})`
                      : "—"}
                  </td>
                  <td>{r.mcnemarVsAi?.onlyReaderCorrect ?? "—"}</td>
                  <td>{r.mcnemarVsAi?.onlyAiCorrect ?? "—"}</td>
                  <td>{pValue(r.mcnemarVsAi?.pValue)}</td>
                  <td>
                    {r.delongVsAi?.map((d) => `${subtypeLabel(d.subtype)} ${pValue(d.pValue)}`).join(", ") ?? "—"}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
        {report.statistics?.arms.some((a) => a.aiVsReaders?.length) ? (
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
              {report.statistics.arms.flatMap((a) =>
                (a.aiVsReaders ?? []).map((x) => (
                  <tr key={`${a.modality}-${x.className}`}>
                    <td>{a.modality}</td>
                    <td>{subtypeLabel(x.className)}</td>
                    <td>{formatNumber(x.result.aiAuc)}</td>
                    <td>{formatNumber(x.result.meanReaderAuc)}</td>
                    <td>
                      {formatNumber(x.result.meanDifference)} ({formatNumber(x.result.lower)} to{" "}
                      {formatNumber(x.result.upper)})
                    </td>
                    <td>{pValue(x.result.pValue)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        ) : null}
      </div>

      <div className="panel stack">
        <h2>ROC curves (one class vs the rest)</h2>
        <div className="charts-row">
          {classes.flatMap((k) =>
            report.phases.map((p, i) => (
              <RocChart
                key={`${k}-${p.phase}`}
                title={`${subtypeLabel(k)} · ${phaseName(p.phase).toLowerCase()}`}
                curves={rocCurves(k, i)}
              />
            )),
          )}
        </div>
      </div>

      <div className="panel stack">
        <h2>MRMC: unaided vs aided</h2>
        {report.mrmc?.length ? (
          <table aria-label="MRMC" style={{ width: "auto" }}>
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
                  <td>{pValue(m.pValue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">
            No MRMC comparison: it needs readers with confidences in both the unaided and the aided phase.
          </p>
        )}
      </div>

      <div className="panel stack">
        <h2>Who was right: regions A/B/C/D</h2>
        <div className="charts-row">
          {report.phases.map((p) => (
            <div key={p.phase} className="stack">
              <h3>{phaseName(p.phase)}</h3>
              <ul className="region-grid plain-list" aria-label={`Regions ${phaseName(p.phase)}`}>
                {(["a", "b", "c", "d"] as const).map((r) => (
                  <li key={r} className="region-cell" data-testid={`region-${p.phase}-${r.toUpperCase()}`}>
                    <strong>
                      {r.toUpperCase()}: {p.regions[r]}
                    </strong>
                    <span className="muted small">{REGION_MEANING[r.toUpperCase()]}</span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
        <RegionExplorer cases={report.cases} readers={report.readers.map((r) => ({ label: r.label, name: r.name }))} />
      </div>
    </section>
  );
}
