import type { Db } from "@mammo/db";
import { COMPREHENSIVE_SR, SECONDARY_CAPTURE } from "@mammo/dicomweb";
import type { Viewer } from "../../auth/viewer.ts";
import { AppError } from "../../errors/app-error.ts";
import { visibleCasesWhere } from "../cases/case.service.ts";
import { callPacs } from "./pacs-errors.ts";
import { openPacs, pacsConnectionsWhere } from "./pacs.service.ts";

export type PacsResultObject = {
  kind: "MEASUREMENT_REPORT" | "HEATMAP";
  connectionId: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
};

const KINDS: Record<string, PacsResultObject["kind"]> = {
  [COMPREHENSIVE_SR]: "MEASUREMENT_REPORT",
  [SECONDARY_CAPTURE]: "HEATMAP",
};

/**
 * The results (SR, heatmaps) that the PACS a case came from holds in its study, for the case
 * page to show next to the images. Admins and coordinators of the case's site; other viewers
 * and cases from elsewhere get none.
 */
export async function listCasePacsResults(
  db: Db,
  sealingSecret: string,
  viewer: Viewer,
  caseId: string,
): Promise<PacsResultObject[]> {
  const exam = await db.case.findFirst({
    where: { AND: [visibleCasesWhere(viewer), { id: caseId }] },
    select: { id: true },
  });
  if (!exam) throw new AppError("NOT_FOUND", "case not found");
  const links = await db.pacsStudyLink.findMany({
    where: { caseId, connection: pacsConnectionsWhere(viewer) },
    select: { connectionId: true, originalStudyUid: true },
  });
  const out: PacsResultObject[] = [];
  for (const link of links) {
    const { client } = await openPacs(db, sealingSecret, viewer, link.connectionId);
    const instances = await callPacs(() => client.searchInstances(link.originalStudyUid));
    for (const i of instances) {
      const kind = KINDS[i.sopClassUid];
      if (kind) out.push({ kind, connectionId: link.connectionId, ...i });
    }
  }
  return out;
}
