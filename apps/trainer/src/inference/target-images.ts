import { inferenceRunImagesWhere } from "@mammo/concordance";
import type { Db, InferenceRun } from "@mammo/db";
import { storedImageSelect, type StoredImage } from "../data/image-loader.ts";

export type TargetImage = StoredImage & { accessionKey: string };

const select = { ...storedImageSelect, case: { select: { accessionKey: true } } } as const;

/** The images an inference run covers (inferenceRunImagesWhere), in a stable order. */
export async function targetImages(
  db: Db,
  run: Pick<InferenceRun, "target" | "studyId" | "datasetVersionId" | "imageIds">,
): Promise<TargetImage[]> {
  const rows = await db.image.findMany({ where: inferenceRunImagesWhere(run), select, orderBy: { id: "asc" } });
  return rows.map(({ case: c, ...image }) => ({ ...image, accessionKey: c.accessionKey }));
}
