import { randomInt } from "node:crypto";
import { ArmKind, type Db, type Tx } from "@mammo/db";
import { z } from "zod";
import type { Viewer } from "../../auth/viewer.ts";
import { AppError, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { visibleCasesWhere } from "../cases/case.service.ts";
import { conflictOnDuplicate, getManagedStudy, managedStudiesWhere } from "./study-access.ts";
import { unitKey, unitsOfCases, type UnitRow } from "./study-units.ts";
import { studyInclude } from "./study.service.ts";

// Readers know a study case only by its code. Codes are random (not numbered in the order the
// coordinator added cases, which may follow the truth) and avoid look-alike characters.
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const randomCaseCode = () =>
  `C-${Array.from({ length: 5 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("")}`;

const casesInput = z.object({
  studyId: z.uuid(),
  caseIds: z.array(z.uuid()).min(1, "give at least one case").max(2000),
});
const findingsInput = z.object({
  studyId: z.uuid(),
  findingIds: z.array(z.uuid()).min(1, "give at least one finding").max(2000),
});

async function draftStudy(tx: Tx, viewer: Viewer, studyId: string) {
  const study = await getManagedStudy(tx, viewer, studyId);
  if (study.status !== "DRAFT")
    throw new AppError("CONFLICT", "cases and readers change only while the study is a draft");
  return study;
}

/** Adds units the study does not hold yet, each with a fresh random code; audited. */
async function addUnits(
  tx: Tx,
  viewer: Viewer,
  study: { id: string; siteId: string },
  units: UnitRow[],
  requestId: string | undefined,
) {
  const existing = await tx.studyCase.findMany({
    where: { studyId: study.id },
    select: { caseId: true, laterality: true, findingId: true, code: true },
  });
  const present = new Set(existing.map(unitKey));
  const codes = new Set(existing.map((c) => c.code));
  const added = units
    .filter((u) => !present.has(unitKey(u)))
    .map((u) => {
      let code = randomCaseCode();
      while (codes.has(code)) code = randomCaseCode();
      codes.add(code);
      present.add(unitKey(u));
      return { studyId: study.id, ...u, code };
    });
  await tx.studyCase.createMany({ data: added });
  await recordAudit(tx, {
    actorId: viewer.userId,
    siteId: study.siteId,
    action: "readerStudy.addCases",
    entityType: "ReaderStudy",
    entityId: study.id,
    after: { added },
    requestId,
  });
  return tx.readerStudy.findUniqueOrThrow({ where: { id: study.id }, include: studyInclude });
}

/**
 * Adds the units of cases the viewer may see to a DRAFT study: the cases themselves, their
 * imaged breasts or their findings, per the study's unit (units already in it are kept as they are).
 */
export async function addStudyCases(db: Db, viewer: Viewer, input: z.input<typeof casesInput>, requestId?: string) {
  const args = parseInput(casesInput, input);
  const caseIds = [...new Set(args.caseIds)];
  return db.$transaction(async (tx) => {
    const study = await draftStudy(tx, viewer, args.studyId);
    const found = await tx.case.findMany({
      where: { AND: [{ id: { in: caseIds } }, visibleCasesWhere(viewer)] },
      select: { id: true },
    });
    if (found.length !== caseIds.length) {
      throw new AppError("NOT_FOUND", `caseIds: ${caseIds.length - found.length} of the cases were not found`, {
        field: "caseIds",
      });
    }
    return addUnits(tx, viewer, study, await unitsOfCases(tx, study.unit, caseIds), requestId);
  });
}

/** Adds chosen findings (placed on a breast, of cases the viewer may see) to a DRAFT FINDING study. */
export async function addStudyFindings(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof findingsInput>,
  requestId?: string,
) {
  const args = parseInput(findingsInput, input);
  const findingIds = [...new Set(args.findingIds)];
  return db.$transaction(async (tx) => {
    const study = await draftStudy(tx, viewer, args.studyId);
    if (study.unit !== "FINDING")
      throw new AppError("VALIDATION", `findingIds: this study reads by ${study.unit.toLowerCase()}; add cases`, {
        field: "findingIds",
      });
    const found = await tx.finding.findMany({
      where: { id: { in: findingIds }, case: visibleCasesWhere(viewer) },
      select: { id: true, caseId: true, key: true, laterality: true },
    });
    if (found.length !== findingIds.length) {
      throw new AppError(
        "NOT_FOUND",
        `findingIds: ${findingIds.length - found.length} of the findings were not found`,
        { field: "findingIds" },
      );
    }
    const unplaced = found.filter((f) => !f.laterality);
    if (unplaced.length > 0)
      throw new AppError(
        "VALIDATION",
        `findingIds: finding ${unplaced.map((f) => f.key).join(", ")} is on no breast yet; place it first`,
        { field: "findingIds" },
      );
    const units = found.map((f) => ({ caseId: f.caseId, laterality: null, findingId: f.id }));
    return addUnits(tx, viewer, study, units, requestId);
  });
}

/** Removes every unit of the given cases (or the given findings) from a DRAFT study. */
async function removeUnits(
  db: Db,
  viewer: Viewer,
  studyId: string,
  where: { caseId: { in: string[] } } | { findingId: { in: string[] } },
  requestId?: string,
) {
  return db.$transaction(async (tx) => {
    const study = await draftStudy(tx, viewer, studyId);
    const removed = await tx.studyCase.findMany({ where: { studyId: study.id, ...where } });
    await tx.studyCase.deleteMany({ where: { id: { in: removed.map((c) => c.id) } } });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: study.siteId,
      action: "readerStudy.removeCases",
      entityType: "ReaderStudy",
      entityId: study.id,
      before: { removed },
      requestId,
    });
    return tx.readerStudy.findUniqueOrThrow({ where: { id: study.id }, include: studyInclude });
  });
}

export async function removeStudyCases(db: Db, viewer: Viewer, input: z.input<typeof casesInput>, requestId?: string) {
  const args = parseInput(casesInput, input);
  return removeUnits(db, viewer, args.studyId, { caseId: { in: args.caseIds } }, requestId);
}

export async function removeStudyFindings(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof findingsInput>,
  requestId?: string,
) {
  const args = parseInput(findingsInput, input);
  return removeUnits(db, viewer, args.studyId, { findingId: { in: args.findingIds } }, requestId);
}

const addReaderInput = z.object({
  studyId: z.uuid(),
  email: z.string().trim().toLowerCase().pipe(z.email()),
  arm: z.enum(ArmKind),
});

/**
 * Assigns a reader (a user holding the READER role at any site: readers of other sites than the
 * cases are the point of multi-site studies) to an arm of a DRAFT study.
 */
export async function addStudyReader(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof addReaderInput>,
  requestId?: string,
) {
  const args = parseInput(addReaderInput, input);
  return db.$transaction(async (tx) => {
    const study = await draftStudy(tx, viewer, args.studyId);
    const user = await tx.user.findFirst({
      where: { email: args.email, disabledAt: null, memberships: { some: { role: "READER" } } },
      select: { id: true },
    });
    if (!user)
      throw new AppError("NOT_FOUND", "email: no reader (a user with the READER role) has this email", {
        field: "email",
      });
    const arm = await tx.studyArm.findUnique({ where: { studyId_kind: { studyId: study.id, kind: args.arm } } });
    if (!arm) throw new AppError("VALIDATION", `arm: the study has no ${args.arm} arm`, { field: "arm" });
    const reader = await conflictOnDuplicate(
      () =>
        tx.studyReader.create({
          data: { studyId: study.id, userId: user.id, armId: arm.id },
          include: studyReaderInclude,
        }),
      "email: this user already reads this study",
      "email",
    );
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: study.siteId,
      action: "studyReader.create",
      entityType: "StudyReader",
      entityId: reader.id,
      after: { studyId: study.id, userId: user.id, arm: arm.kind },
      requestId,
    });
    return reader;
  });
}

export async function removeStudyReader(db: Db, viewer: Viewer, studyReaderId: string, requestId?: string) {
  const id = parseInput(z.uuid(), studyReaderId);
  return db.$transaction(async (tx) => {
    const reader = await tx.studyReader.findFirst({ where: { id, study: managedStudiesWhere(viewer) } });
    if (!reader) throw notFound("study reader");
    const study = await draftStudy(tx, viewer, reader.studyId);
    await tx.studyReader.delete({ where: { id: reader.id } });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: study.siteId,
      action: "studyReader.delete",
      entityType: "StudyReader",
      entityId: reader.id,
      before: reader,
      requestId,
    });
    return tx.readerStudy.findUniqueOrThrow({ where: { id: study.id }, include: studyInclude });
  });
}

export const studyReaderInclude = { arm: true, user: { select: { id: true, name: true, email: true } } } as const;

/** Readers of many studies (data loader). Caller has authorised the studies (managed by the viewer). */
export async function loadReadersByStudyIds(db: Db, studyIds: readonly string[]) {
  const readers = await db.studyReader.findMany({
    where: { studyId: { in: [...studyIds] } },
    include: studyReaderInclude,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return studyIds.map((id) => readers.filter((r) => r.studyId === id));
}

export type ReaderProgress = {
  studyReaderId: string;
  unaidedReads: number;
  aidedReads: number;
  caseCount: number;
  isAided: boolean;
};

/**
 * How far each reader is: the number of cases read per phase (first versions: corrections do not
 * count twice). Counts only; the answers stay hidden until the study is closed.
 */
export async function loadReaderProgress(db: Db, studyReaderIds: readonly string[]): Promise<ReaderProgress[]> {
  const readers = await db.studyReader.findMany({
    where: { id: { in: [...studyReaderIds] } },
    select: { id: true, studyId: true, arm: { select: { kind: true } } },
  });
  // Counted per study with a where (Prisma's relation _count grouped every study's cases, then joined).
  const [caseCounts, counts] = await Promise.all([
    db.studyCase.groupBy({
      by: ["studyId"],
      where: { studyId: { in: [...new Set(readers.map((r) => r.studyId))] } },
      _count: { _all: true },
    }),
    db.read.groupBy({
      by: ["studyReaderId", "phase"],
      where: { studyReaderId: { in: [...studyReaderIds] }, version: 1 },
      _count: { _all: true },
    }),
  ]);
  const count = (id: string, phase: ArmKind) =>
    counts.find((c) => c.studyReaderId === id && c.phase === phase)?._count._all ?? 0;
  return studyReaderIds.map((id) => {
    const reader = readers.find((r) => r.id === id);
    return {
      studyReaderId: id,
      unaidedReads: count(id, "UNAIDED"),
      aidedReads: count(id, "AIDED"),
      caseCount: caseCounts.find((c) => c.studyId === reader?.studyId)?._count._all ?? 0,
      isAided: reader?.arm.kind === "AIDED",
    };
  });
}

const studyCasesPage = z.object({
  limit: z.number().int().min(1).max(201),
  afterCode: z.string().optional(),
  beforeCode: z.string().optional(),
  inverted: z.boolean(),
});

/** A page of a managed study's cases, by code. Caller has authorised the study. */
export async function listStudyCases(db: Db, studyId: string, input: z.input<typeof studyCasesPage>) {
  const args = parseInput(studyCasesPage, input);
  const code = {
    ...(args.afterCode ? { gt: args.afterCode } : {}),
    ...(args.beforeCode ? { lt: args.beforeCode } : {}),
  };
  return db.studyCase.findMany({
    where: { studyId, ...(args.afterCode || args.beforeCode ? { code } : {}) },
    orderBy: { code: args.inverted ? "desc" : "asc" },
    take: args.limit,
  });
}
