import { Prisma, type InferenceRun } from "@mammo/db";

export type TargetRun = Pick<InferenceRun, "id" | "target" | "studyId" | "datasetVersionId">;

/**
 * The ids of an inference run's images, as a subquery: every readable image of the study's
 * cases, every image of the dataset version, or the chosen images (kept on the run's own row).
 * The trainer infers these; a run's comparisons are those on these images (predictions are
 * shared between runs of a model version).
 */
export function targetImageIdsSql(run: TargetRun): Prisma.Sql {
  switch (run.target) {
    case "STUDY":
      return Prisma.sql`SELECT ti.id FROM "Image" ti JOIN "StudyCase" tsc ON tsc."caseId" = ti."caseId"
        WHERE tsc."studyId" = ${run.studyId}::uuid
          AND ti.status = 'ACTIVE' AND ti."presentationIntent" = 'FOR_PRESENTATION'`; // READABLE_IMAGE
    case "DATASET_VERSION":
      return Prisma.sql`SELECT tdi."imageId" FROM "DatasetItem" tdi WHERE tdi."datasetVersionId" = ${run.datasetVersionId}::uuid`;
    case "IMAGES":
      return Prisma.sql`SELECT unnest(tr."imageIds") FROM "InferenceRun" tr WHERE tr.id = ${run.id}::uuid`;
  }
}
