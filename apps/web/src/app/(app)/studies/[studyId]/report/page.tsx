import Link from "next/link";
import { notFound } from "next/navigation";
import { AccuracySection } from "@/components/report/accuracy-section";
import { AgreementSection } from "@/components/report/agreement-section";
import { AiVsReadersSection } from "@/components/report/ai-vs-readers-section";
import { ConfusionSection } from "@/components/report/confusion-section";
import { DownloadsSection } from "@/components/report/downloads-section";
import { MrmcSection } from "@/components/report/mrmc-section";
import { PerClassSection } from "@/components/report/per-class-section";
import { ReadingTimeSection } from "@/components/report/reading-time-section";
import { readableNote } from "@/components/report/report-format";
import { RegionsSection } from "@/components/report/regions-section";
import { RocSection } from "@/components/report/roc-section";
import { ModelVersionsOnStudy } from "@/components/studies/model-versions-on-study";
import { GraphQLRequestError } from "@/lib/graphql";
import { loadStudyReport, type Report } from "@/lib/study-report";

function NotYet({ studyId, message }: { studyId: string; message: string }) {
  return (
    <section className="panel stack">
      <h1>Report not available yet</h1>
      <p>{message}</p>
      <Link href={`/studies/${encodeURIComponent(studyId)}`}>Back to the study</Link>
    </section>
  );
}

/** The closed study's report: one section per kind of figure, in the order a paper would give them. */
export default async function StudyReportPage({ params }: { params: Promise<{ studyId: string }> }) {
  const studyId = decodeURIComponent((await params).studyId);
  let report: Report;
  try {
    report = await loadStudyReport(studyId);
  } catch (error) {
    if (error instanceof GraphQLRequestError && (error.code === "NOT_FOUND" || error.code === "BAD_USER_INPUT"))
      notFound();
    if (error instanceof GraphQLRequestError && error.code === "CONFLICT")
      return <NotYet studyId={studyId} message={error.message} />;
    throw error;
  }
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
            <li key={n}>{readableNote(n)}</li>
          ))}
        </ul>
      ) : null}
      {report.excludedCases.length ? (
        <p className="muted">Left out: {report.excludedCases.map((c) => `${c.code} (${c.reason})`).join("; ")}</p>
      ) : null}
      <DownloadsSection studyId={studyId} studyName={report.studyName} classes={report.classes} />
      <AccuracySection report={report} />
      <PerClassSection report={report} />
      <ConfusionSection report={report} />
      <AgreementSection report={report} />
      <AiVsReadersSection report={report} />
      <RocSection report={report} />
      <MrmcSection report={report} />
      <RegionsSection report={report} />
      <ReadingTimeSection report={report} />
      <ModelVersionsOnStudy studyId={studyId} />
    </section>
  );
}
