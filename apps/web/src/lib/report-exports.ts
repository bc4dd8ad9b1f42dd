/** The report's downloads: what each holds, its file name and its media type (README: "Report exports"). */
export const REPORT_EXPORTS = {
  answers: { title: "Answers (CSV)", perClass: false, mediaType: "text/csv" },
  rjafroc: { title: "RJafroc / OR-DBM MRMC (CSV)", perClass: true, mediaType: "text/csv" },
  imrmc: { title: "iMRMC input", perClass: true, mediaType: "text/plain" },
} as const;
export type ReportExportKind = keyof typeof REPORT_EXPORTS;

/** A file-name-safe form of the study's name: lower case, words joined by hyphens. */
export const slugOf = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "study";

export function exportFileName(kind: ReportExportKind, studyName: string, subtype?: string): string {
  const slug = slugOf(studyName);
  const cls = subtype?.toLowerCase().replace(/_/g, "-");
  if (kind === "answers") return `${slug}-answers.csv`;
  if (kind === "rjafroc") return `${slug}-${cls}-rjafroc.csv`;
  return `${slug}-${cls}.imrmc`;
}

export const exportHref = (studyId: string, kind: ReportExportKind, subtype?: string) =>
  `/studies/${encodeURIComponent(studyId)}/report/exports/${kind}${subtype ? `?subtype=${subtype}` : ""}`;
