import type { Tx } from "@mammo/db";
import { ImagingError, type ImagingErrorCode } from "../errors.ts";
import type { IngestedImage } from "../ingest/ingest-file.ts";

/** A file of a case refused while the case is written: that file's rows get the reason. */
export class FileRefusal extends ImagingError {
  readonly file: string;

  constructor(file: string, code: ImagingErrorCode, message: string) {
    super(code, message);
    this.file = file;
  }
}

type Placement = { siteId: string; caseId: string; patientId: string };
type Found = { caseId: string; case: { accessionKey: string; siteId: string; patient: { pseudonym: string } } };
const foundSelect = {
  caseId: true,
  case: { select: { accessionKey: true, siteId: true, patient: { select: { pseudonym: true } } } },
} as const;

/**
 * Serialises, across concurrent imports, the writes that could put one image or one study under
 * two patients: a transaction-scoped advisory lock per identity key, taken in sorted order.
 */
export async function lockImageIdentities(tx: Tx, images: IngestedImage[]): Promise<void> {
  const keys = new Set<string>();
  for (const image of images) {
    keys.add(`pixels:${image.pixelSha256}`);
    if (image.sopInstanceUid) keys.add(`instance:${image.sopInstanceUid}`);
    if (image.studyInstanceUid) keys.add(`study:${image.studyInstanceUid}`);
  }
  for (const key of [...keys].sort())
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`image-identity:${key}`}, 0))`;
}

/**
 * Whether a new file may join this case: "ALREADY_THERE" when the case holds the same image (the
 * same pixels, re-encoded or not); throws FileRefusal when the same DICOM instance is in another
 * case, the same pixels belong to another patient, or the file's study belongs to another patient.
 */
export async function checkImageIdentity(
  tx: Tx,
  at: Placement,
  file: string,
  image: IngestedImage,
  contentSha256: string,
): Promise<"NEW" | "ALREADY_THERE"> {
  const samePixels = [{ pixelSha256: image.pixelSha256 }, { contentSha256 }];
  if (image.sopInstanceUid) {
    const instance = await tx.image.findUnique({
      where: { sopInstanceUid: image.sopInstanceUid },
      select: foundSelect,
    });
    if (instance && instance.caseId !== at.caseId)
      throw new FileRefusal(
        file,
        "CONFLICT",
        `this DICOM instance (its SOP Instance UID) is already imported ${where(instance, at)}`,
      );
    if (instance) return "ALREADY_THERE";
  }
  if (await tx.image.findFirst({ where: { caseId: at.caseId, OR: samePixels }, select: { id: true } }))
    return "ALREADY_THERE";
  const twin = await tx.image.findFirst({
    where: { OR: samePixels, case: { patientId: { not: at.patientId } } },
    select: foundSelect,
  });
  if (twin)
    throw new FileRefusal(
      file,
      "CONFLICT",
      `the same pixels are already imported ${where(twin, at)}; one image cannot belong to two patients`,
    );
  if (image.studyInstanceUid) {
    const study = await tx.image.findFirst({
      where: { studyInstanceUid: image.studyInstanceUid, case: { patientId: { not: at.patientId } } },
      select: foundSelect,
    });
    if (study)
      throw new FileRefusal(
        file,
        "CONFLICT",
        `this file's study (its Study Instance UID) is already imported ${where(study, at)}; one study belongs to one patient`,
      );
  }
  return "NEW";
}

// Another site's patient and case keys are that site's business.
function where(found: Found, at: Placement): string {
  return found.case.siteId === at.siteId
    ? `in case ${found.case.accessionKey} of patient ${found.case.patient.pseudonym}`
    : "at another site";
}
