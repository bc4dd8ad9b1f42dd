import { Prisma, type Db, type Tx } from "@mammo/db";
import { siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, notFound } from "../../errors/app-error.ts";

/**
 * Who manages a reader study: the COORDINATORs of its (coordinating) site. They design it, watch
 * progress while it is open (counts, never answers) and read everything once it is closed.
 * Readers never see a study through these queries: they see their own assignment (reading module).
 */
export function managedStudiesWhere(viewer: Viewer): Prisma.ReaderStudyWhereInput {
  return { siteId: { in: siteIdsWithRole(viewer, "COORDINATOR") } };
}

/** The study if the viewer manages it; NOT_FOUND otherwise (never say which). */
export async function getManagedStudy(db: Db | Tx, viewer: Viewer, studyId: string) {
  const study = await db.readerStudy.findFirst({ where: { AND: [{ id: studyId }, managedStudiesWhere(viewer)] } });
  if (!study) throw notFound("reader study");
  return study;
}

/** A unique-constraint violation from Prisma (P2002), for turning races and duplicates into CONFLICT. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Runs `write`; a duplicate key becomes CONFLICT with the given message and field. */
export async function conflictOnDuplicate<T>(write: () => Promise<T>, message: string, field?: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", message, { field });
    throw error;
  }
}
