import type { Db } from "@mammo/db";
import {
  loadConcordancePairs,
  measuredCasesWhere,
  summariseConcordance,
  type ConcordanceSummary,
} from "@mammo/concordance";
import type { Viewer } from "../../auth/viewer.ts";
import { notFound } from "../../errors/app-error.ts";
import { visibleCasesWhere } from "../cases/case.service.ts";
import { loadVisibleInferenceRuns } from "./inference.service.ts";

/**
 * Concordance of an inference run's heatmaps with the regions they were compared to, aggregated
 * (overall, by source, subtype, reader, A/B/C/D region, CC vs MLO). Only what the viewer may see
 * goes in: cases visible to them (blinding kept), and readers' marks of CLOSED studies only.
 */
export async function getConcordanceSummary(
  db: Db,
  viewer: Viewer,
  inferenceRunId: string,
): Promise<ConcordanceSummary> {
  const [run] = await loadVisibleInferenceRuns(db, viewer, [inferenceRunId]);
  if (!run) throw notFound("inference run");
  const pairs = await loadConcordancePairs(db, run.id);
  const studyIds = [...new Set(pairs.flatMap((p) => (p.studyId ? [p.studyId] : [])))];
  const [visibleCases, closedStudies] = await Promise.all([
    // By the run, not by a list of the pairs' case ids: those may be more than a statement's bind parameters.
    db.case.findMany({ where: { AND: [measuredCasesWhere(run), visibleCasesWhere(viewer)] }, select: { id: true } }),
    db.readerStudy.findMany({ where: { id: { in: studyIds }, status: "CLOSED" }, select: { id: true } }),
  ]);
  const caseVisible = new Set(visibleCases.map((c) => c.id));
  const studyClosed = new Set(closedStudies.map((s) => s.id));
  return summariseConcordance(
    pairs.filter(
      (p) =>
        caseVisible.has(p.caseId) && (p.source === "ANNOTATION" || (p.studyId !== null && studyClosed.has(p.studyId))),
    ),
  );
}
