import type { Db, Tx } from "@mammo/db";
import { siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError } from "../../errors/app-error.ts";

/*
 * What a reader was actually shown. The image routes record, per reader of an open study and
 * image of one of its cases, when the image was first served to them (any resolution of the
 * full-depth pixels, or the display PNG). A read is refused until every image of its case was
 * delivered to that reader, and the report's reading time starts from the delivery.
 */

/** Records the first delivery of an image to the viewer, for each open study they read that holds its case. */
export async function recordImageDelivery(db: Db, viewer: Viewer, imageId: string): Promise<void> {
  if (siteIdsWithRole(viewer, "READER").length === 0) return;
  await db.$executeRaw`
    INSERT INTO "ImageDelivery" ("studyReaderId", "imageId", "studyCaseId")
    SELECT sr.id, i.id, sc.id
    FROM "Image" i
    JOIN "StudyCase" sc ON sc."caseId" = i."caseId"
    JOIN "ReaderStudy" s ON s.id = sc."studyId" AND s.status = 'OPEN'
    JOIN "StudyReader" sr ON sr."studyId" = s.id AND sr."userId" = ${viewer.userId}::uuid
    WHERE i.id = ${imageId}::uuid AND i.status = 'ACTIVE'
    ON CONFLICT DO NOTHING`;
}

/**
 * Refuses a read of a case unless each of its active images was delivered to the reader: answer
 * controls in the viewer wait for every view, and this keeps reads honest whatever the client does.
 * A delivery counts for every unit of the case (its findings or breasts are units of their own).
 */
export async function assertCaseDelivered(
  tx: Tx,
  studyReaderId: string,
  studyCase: { id: string; caseId: string },
): Promise<void> {
  const [row] = await tx.$queryRaw<{ total: number; delivered: number }[]>`
    SELECT count(*)::int AS total, count(d."imageId")::int AS delivered
    FROM "Image" i
    LEFT JOIN "ImageDelivery" d
      ON d."imageId" = i.id AND d."studyReaderId" = ${studyReaderId}::uuid
    WHERE i."caseId" = ${studyCase.caseId}::uuid AND i.status = 'ACTIVE'`;
  if (row && row.delivered < row.total)
    throw new AppError(
      "CONFLICT",
      `this case's images have not all been shown to you (${row.delivered} of ${row.total} delivered): wait until every view is displayed, then answer`,
      { field: "caseCode" },
    );
}
