import { graphql, GraphQLRequestError } from "@/lib/graphql";
import { exportFileName, REPORT_EXPORTS, type ReportExportKind } from "@/lib/report-exports";

type Exports = { answersCsv: string; rjafrocCsv: string | null; imrmc: string | null; notes: string[] };

/**
 * A report export as a file download (the API gives them as strings): the answers of readers and
 * AI, and per class the RJafroc and iMRMC files. 409 with the reason when a file cannot be made.
 */
export async function GET(request: Request, { params }: { params: Promise<{ studyId: string; file: string }> }) {
  const { studyId: rawId, file } = await params;
  const studyId = decodeURIComponent(rawId);
  if (!(file in REPORT_EXPORTS)) return new Response("no such export", { status: 404 });
  const kind = file as ReportExportKind;
  const subtype = new URL(request.url).searchParams.get("subtype");
  let report: { studyName: string; classes: string[]; exports: Exports };
  let cls: string | undefined;
  try {
    const first = await graphql<{ studyReport: { classes: string[] } }>(
      `
        query Classes($studyId: ID!) {
          studyReport(studyId: $studyId) {
            classes
          }
        }
      `,
      { studyId },
    );
    cls = subtype ?? first.studyReport.classes[0];
    if (!cls || !first.studyReport.classes.includes(cls))
      return new Response(`subtype must be one of ${first.studyReport.classes.join(", ")}`, { status: 400 });
    report = (
      await graphql<{ studyReport: typeof report }>(
        `
          query Exports($studyId: ID!, $subtype: Subtype!) {
            studyReport(studyId: $studyId) {
              studyName
              classes
              exports(subtype: $subtype) {
                answersCsv
                rjafrocCsv
                imrmc
                notes
              }
            }
          }
        `,
        { studyId, subtype: cls },
      )
    ).studyReport;
  } catch (error) {
    if (error instanceof GraphQLRequestError) {
      const status = error.code === "UNAUTHENTICATED" ? 401 : error.code === "CONFLICT" ? 409 : 404;
      return new Response(error.message, { status });
    }
    throw error;
  }
  const body =
    kind === "answers"
      ? report.exports.answersCsv
      : kind === "rjafroc"
        ? report.exports.rjafrocCsv
        : report.exports.imrmc;
  if (body === null)
    return new Response(`not available: ${report.exports.notes.join("; ") || "no ratings"}`, { status: 409 });
  return new Response(body, {
    headers: {
      "content-type": `${REPORT_EXPORTS[kind].mediaType}; charset=utf-8`,
      "content-disposition": `attachment; filename="${exportFileName(kind, report.studyName, cls)}"`,
      "cache-control": "no-store",
    },
  });
}
