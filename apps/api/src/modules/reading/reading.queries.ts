import {
  Prisma,
  type ArmKind,
  type Db,
  type Laterality,
  type Read,
  type StudyQuestion,
  type StudyStatus,
  type StudyUnit,
  type Tx,
} from "@mammo/db";

/*
 * The reading hot path (every reader, every step) as single SQL statements: an assignment with
 * its arm, study and questions, and a reader's next step with their unaided read. Through Prisma
 * includes these were ten statements per request (one per relation); `npm run bench:api` measures it.
 */

export type Assignment = {
  id: string;
  studyId: string;
  userId: string;
  arm: { id: string; kind: ArmKind; name: string };
  study: {
    id: string;
    siteId: string;
    name: string;
    description: string | null;
    status: StudyStatus;
    unit: StudyUnit;
    modelVersionId: string | null;
    openedAt: Date | null;
    questions: StudyQuestion[];
    caseCount: number;
  };
};

type AssignmentRow = Omit<Assignment, "study"> & {
  study: Omit<Assignment["study"], "openedAt"> & { openedAt: string | null };
};

/** Assignments (StudyReader rows) matching `where` (a condition on `sr`, the StudyReader). */
export async function findAssignments(db: Db | Tx, where: Prisma.Sql): Promise<Assignment[]> {
  const rows = await db.$queryRaw<AssignmentRow[]>`
    SELECT sr.id, sr."studyId", sr."userId",
      json_build_object('id', a.id, 'kind', a.kind, 'name', a.name) AS arm,
      json_build_object(
        'id', s.id, 'siteId', s."siteId", 'name', s.name, 'description', s.description, 'status', s.status, 'unit', s.unit,
        'modelVersionId', s."modelVersionId", 'openedAt', s."openedAt",
        'questions', (SELECT coalesce(json_agg(json_build_object(
            'id', q.id, 'studyId', q."studyId", 'kind', q.kind, 'prompt', q.prompt, 'options', q.options,
            'isRequired', q."isRequired", 'position', q.position) ORDER BY q.position), '[]'::json)
          FROM "StudyQuestion" q WHERE q."studyId" = s.id),
        'caseCount', (SELECT count(*) FROM "StudyCase" c WHERE c."studyId" = s.id)
      ) AS study
    FROM "StudyReader" sr
    JOIN "StudyArm" a ON a.id = sr."armId"
    JOIN "ReaderStudy" s ON s.id = sr."studyId"
    WHERE ${where}
    ORDER BY s."openedAt" DESC NULLS LAST, sr.id`;
  return rows.map((row) => ({
    ...row,
    study: { ...row.study, openedAt: row.study.openedAt ? new Date(row.study.openedAt) : null },
  }));
}

export const assignmentOf = (studyId: string, userId: string) =>
  Prisma.sql`sr."studyId" = ${studyId}::uuid AND sr."userId" = ${userId}::uuid`;
export const assignmentsOfUser = (userId: string, statuses: StudyStatus[]) =>
  Prisma.sql`sr."userId" = ${userId}::uuid AND s.status::text IN (${Prisma.join(statuses)})`;

type ReadJson = Omit<Read, "submittedAt"> & { submittedAt: string };
const readFromJson = (read: ReadJson): Read => ({ ...read, submittedAt: new Date(read.submittedAt) });

export type NextSlot = {
  position: number;
  studyCaseId: string;
  code: string;
  caseId: string;
  /** The breast the unit is (BREAST) or lies in (FINDING); null for a whole case. */
  laterality: Laterality | null;
  findingId: string | null;
  unaidedRead: Read | null;
};

/**
 * The first case in the reader's stored order that has no read in `lastPhase` yet, with the
 * reader's latest unaided read of it (the AIDED arm reads each case unaided, then aided). The phase
 * is compared as the enum, not as text: then each slot is one probe of the Read key's index
 * (compared as text the plan rescanned the reader's reads for every slot, quadratic in progress).
 */
export async function findNextSlot(db: Db | Tx, studyReaderId: string, lastPhase: ArmKind): Promise<NextSlot | null> {
  const rows = await db.$queryRaw<(Omit<NextSlot, "unaidedRead"> & { unaidedRead: ReadJson | null })[]>`
    SELECT o.position, sc.id AS "studyCaseId", sc.code, sc."caseId", sc."findingId",
      coalesce(sc.laterality, (SELECT f.laterality FROM "Finding" f WHERE f.id = sc."findingId")) AS laterality,
      (SELECT row_to_json(r) FROM "Read" r
        WHERE r."studyReaderId" = o."studyReaderId" AND r."studyCaseId" = sc.id AND r.phase = 'UNAIDED'
        ORDER BY r.version DESC LIMIT 1) AS "unaidedRead"
    FROM "ReaderCaseOrder" o
    JOIN "StudyCase" sc ON sc.id = o."studyCaseId"
    WHERE o."studyReaderId" = ${studyReaderId}::uuid
      AND NOT EXISTS (SELECT 1 FROM "Read" r WHERE r."studyReaderId" = o."studyReaderId" AND r."studyCaseId" = o."studyCaseId" AND r.phase = ${lastPhase}::"ArmKind")
    ORDER BY o.position
    LIMIT 1`;
  const row = rows[0];
  return row ? { ...row, unaidedRead: row.unaidedRead ? readFromJson(row.unaidedRead) : null } : null;
}

/** The case at `position` (0-based) of the reader's own order, if there is one. */
export async function findSlotCase(db: Db | Tx, studyReaderId: string, position: number): Promise<string | null> {
  const slot = await db.readerCaseOrder.findUnique({
    where: { studyReaderId_position: { studyReaderId, position } },
    select: { studyCase: { select: { caseId: true } } },
  });
  return slot?.studyCase.caseId ?? null;
}
