import { READABLE_IMAGE, type Db, type InferenceRun } from "@mammo/db";
import { storedImageSelect, type StoredImage } from "../data/image-loader.ts";

export type TargetImage = StoredImage & { accessionKey: string };

const select = { ...storedImageSelect, case: { select: { accessionKey: true } } } as const;

/**
 * The images an inference run covers, in a stable order: every readable image of the study's cases,
 * every image of the dataset version, or the chosen images.
 */
export async function targetImages(
  db: Db,
  run: Pick<InferenceRun, "target" | "studyId" | "datasetVersionId" | "imageIds">,
): Promise<TargetImage[]> {
  const rows =
    run.target === "STUDY"
      ? await db.image.findMany({
          where: { ...READABLE_IMAGE, case: { studyCases: { some: { studyId: run.studyId! } } } },
          select,
          orderBy: { id: "asc" },
        })
      : run.target === "DATASET_VERSION"
        ? await db.image.findMany({
            where: { datasetItems: { some: { datasetVersionId: run.datasetVersionId! } } },
            select,
            orderBy: { id: "asc" },
          })
        : await db.image.findMany({ where: { id: { in: run.imageIds } }, select, orderBy: { id: "asc" } });
  return rows.map(({ case: c, ...image }) => ({ ...image, accessionKey: c.accessionKey }));
}
