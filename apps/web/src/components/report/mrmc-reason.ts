import type { Report } from "@/lib/study-report";
import { readableNote } from "./report-format";

/** Why the report has no unaided-vs-aided MRMC comparison, in the study's own terms. */
export function mrmcMissingReason(report: Pick<Report, "effort" | "notes" | "readers">): string {
  const aided = report.effort.filter((e) => e.phase === "AIDED");
  const aidedReaders = new Set(aided.map((e) => e.readerLabel));
  const inAidedArm = report.readers.filter((r) => r.arm === "AIDED").length;
  if (inAidedArm === 0)
    return "the study has no aided arm: MRMC compares the same readers unaided and then aided by the AI.";
  if (aidedReaders.size < 2)
    return `it needs at least 2 readers who read both unaided and aided (the variance between readers); this study has ${aidedReaders.size}.`;
  const both = report.effort.filter((e) => aidedReaders.has(e.readerLabel));
  const missing = both.reduce((n, e) => n + e.reads - e.confidencesGiven, 0);
  if (missing > 0)
    return `${missing} of the ${both.reduce((n, e) => n + e.reads, 0)} reads of the readers of both phases have no confidence (ROC needs one per read).`;
  const note = report.notes.find((n) => n.startsWith("MRMC"));
  return note ? readableNote(note) : "the readers of both phases share no case read in both phases.";
}
