import {
  ArmKind,
  READABLE_IMAGE,
  RoiShape,
  Subtype,
  type Db,
  type Laterality,
  type Prisma,
  type Read,
  type Tx,
} from "@mammo/db";
import { z } from "zod";
import { siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { loadUnitAiAnswers, type CaseAiAnswer } from "../inference/case-ai-answer.ts";
import { conflictOnDuplicate } from "../studies/study-access.ts";
import { assertCaseDelivered } from "./image-delivery.service.ts";
import {
  assignmentOf,
  assignmentsOfUser,
  findAssignments,
  findNextSlot,
  findSlotCase,
  type Assignment,
} from "./reading.queries.ts";
import { parseRoiGeometry } from "./roi-geometry.ts";

export type { Assignment };

/*
 * Reading: a reader's own view of the studies they are assigned to. Everything here starts from
 * the viewer's own StudyReader row, so a reader can only ever reach their own order, their own
 * reads, and (AIDED arm) the AI's answer for a case they have already read unaided. Nothing here
 * returns truth, the patient, the site, other readers or the case's id: a case is its study code.
 */

// A user whose READER role was removed everywhere stops reading at once.
const isReader = (viewer: Viewer) => siteIdsWithRole(viewer, "READER").length > 0;

/** The viewer's assignments in studies that are open or closed (drafts are not shown to readers). */
export async function listMyAssignments(db: Db, viewer: Viewer): Promise<Assignment[]> {
  if (!isReader(viewer)) return [];
  return findAssignments(db, assignmentsOfUser(viewer.userId, ["OPEN", "CLOSED"]));
}

/** The viewer's own assignment in a study; NOT_FOUND unless they read it and it is open or closed. */
export async function getMyAssignment(db: Db | Tx, viewer: Viewer, studyId: string): Promise<Assignment> {
  const id = parseInput(z.uuid(), studyId);
  const [assignment] = isReader(viewer) ? await findAssignments(db, assignmentOf(id, viewer.userId)) : [];
  if (!assignment || assignment.study.status === "DRAFT") throw notFound("reader study");
  return assignment;
}

export type ReadingTask = {
  assignment: Assignment;
  studyCaseId: string;
  /** Internal: used to load images and the AI's answer, never sent to the reader. */
  caseId: string;
  code: string;
  /** The breast asked about (BREAST units, and the finding's breast for FINDING units). */
  laterality: Laterality | null;
  /** FINDING units: the finding whose regions mark the lesion asked about. */
  findingId: string | null;
  /** 1-based place of the case in the reader's own order. */
  position: number;
  phase: ArmKind;
  unaidedRead: Read | null;
};

/**
 * The reader's current step: the first case in their own order not yet read in the phase their
 * arm ends with; in the AIDED arm a case is read unaided first, then (same case) aided. Null when
 * the reader has finished or the study is not open.
 */
export async function nextTask(db: Db | Tx, assignment: Assignment): Promise<ReadingTask | null> {
  if (assignment.study.status !== "OPEN") return null;
  const slot = await findNextSlot(db, assignment.id, assignment.arm.kind === "AIDED" ? "AIDED" : "UNAIDED");
  if (!slot) return null;
  return {
    assignment,
    studyCaseId: slot.studyCaseId,
    caseId: slot.caseId,
    code: slot.code,
    laterality: slot.laterality,
    findingId: slot.findingId,
    position: slot.position + 1,
    phase: slot.unaidedRead ? "AIDED" : "UNAIDED",
    unaidedRead: slot.unaidedRead,
  };
}

export async function getMyNextTask(db: Db, viewer: Viewer, studyId: string) {
  return nextTask(db, await getMyAssignment(db, viewer, studyId));
}

/** Images a reader sees for a task: the case's readable images in hanging order, nothing else about the case. */
export async function loadReadingImages(db: Db, caseIds: readonly string[]) {
  const images = await db.image.findMany({
    where: { caseId: { in: [...caseIds] }, ...READABLE_IMAGE },
    select: {
      id: true,
      caseId: true,
      laterality: true,
      view: true,
      widthPx: true,
      heightPx: true,
      pixelSpacingRowMm: true,
      pixelSpacingColMm: true,
    },
    orderBy: [{ view: "asc" }, { laterality: "asc" }, { id: "asc" }],
  });
  const byCase = new Map<string, typeof images>();
  for (const image of images) {
    const own = byCase.get(image.caseId);
    if (own) own.push(image);
    else byCase.set(image.caseId, [image]);
  }
  return caseIds.map((id) => byCase.get(id) ?? []);
}

/**
 * The images of the case after this step's case in the reader's order (none at the last case),
 * so the viewer can fetch them while the reader reads: the next case is on screen at once.
 * Cases are read in order, so that case is still unread; only its images are given, no answer.
 */
export async function upcomingImagesFor(db: Db, task: ReadingTask) {
  const caseId = await findSlotCase(db, task.assignment.id, task.position);
  return caseId ? (await loadReadingImages(db, [caseId]))[0]! : [];
}

/**
 * The marks of the lesion a FINDING unit asks about: the geometry of the finding's regions on the
 * case's active images, nothing else (no purpose, note or label: the reader stays blind to truth).
 */
export async function loadFindingMarks(db: Db, findingIds: readonly string[]) {
  const regions = await db.annotation.findMany({
    where: { findingId: { in: [...findingIds] }, deletedAt: null, image: { status: "ACTIVE" } },
    select: { findingId: true, imageId: true, shape: true, geometry: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return findingIds.map((id) => regions.filter((r) => r.findingId === id));
}

/**
 * The AI's answer shown in the AIDED step only: the task must be the AIDED phase, which exists
 * only after the reader's own unaided read of that unit was submitted. Over the unit's images.
 */
export async function aiAssistanceFor(db: Db, task: ReadingTask): Promise<CaseAiAnswer | null> {
  const modelVersionId = task.assignment.study.modelVersionId;
  if (task.phase !== "AIDED" || !task.unaidedRead || !modelVersionId) return null;
  const unit = { key: task.studyCaseId, caseId: task.caseId, laterality: task.laterality };
  return (await loadUnitAiAnswers(db, modelVersionId, [unit])).get(task.studyCaseId) ?? null;
}

const readFields = {
  answer: z.enum(Subtype),
  confidence: z.number().int().min(0).max(100).optional(),
  classScores: z
    .array(z.object({ subtype: z.enum(Subtype), score: z.number().min(0).max(100) }))
    .max(10)
    .refine((scores) => new Set(scores.map((s) => s.subtype)).size === scores.length, "one score per subtype")
    .optional(),
  roi: z.object({ imageId: z.uuid(), shape: z.enum(RoiShape), geometry: z.unknown() }).optional(),
  timeSpentMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600 * 1000),
};

const submitInput = z.object({
  studyId: z.uuid(),
  caseCode: z.string().trim().min(1).max(40),
  phase: z.enum(ArmKind),
  ...readFields,
});
const correctInput = z.object({
  readId: z.uuid(),
  reason: z.string().trim().min(1, "say why the read is corrected").max(2000),
  ...readFields,
});

type ReadFields = z.infer<z.ZodObject<typeof readFields>>;

/** Checks a read's answers against the study's questions and the unit's images; returns the row data. */
async function validatedReadData(
  tx: Tx,
  assignment: Assignment,
  unit: { caseId: string; laterality: Laterality | null },
  fields: ReadFields,
) {
  const questions = assignment.study.questions;
  const subtypeQuestion = questions.find((q) => q.kind === "SUBTYPE");
  if (subtypeQuestion && !subtypeQuestion.options.includes(fields.answer)) {
    throw new AppError("VALIDATION", `answer: must be one of ${subtypeQuestion.options.join(", ")}`, {
      field: "answer",
    });
  }
  const confidenceQuestion = questions.find((q) => q.kind === "CONFIDENCE");
  if (confidenceQuestion?.isRequired && fields.confidence === undefined)
    throw new AppError("VALIDATION", "confidence: required (0-100)", { field: "confidence" });
  if (!confidenceQuestion && fields.confidence !== undefined)
    throw new AppError("VALIDATION", "confidence: this study does not ask for a confidence", { field: "confidence" });
  const roiQuestion = questions.find((q) => q.kind === "ROI");
  if (roiQuestion?.isRequired && !fields.roi)
    throw new AppError("VALIDATION", "roi: mark the region (required in this study)", { field: "roi" });
  if (!roiQuestion && fields.roi)
    throw new AppError("VALIDATION", "roi: this study does not ask for a region", { field: "roi" });
  let roi: { roiImageId: string; roiShape: RoiShape; roiGeometry: Prisma.InputJsonValue } | undefined;
  if (fields.roi) {
    const image = await tx.image.findFirst({
      where: { id: fields.roi.imageId, caseId: unit.caseId, ...READABLE_IMAGE },
      select: { id: true, widthPx: true, heightPx: true, laterality: true },
    });
    if (!image) throw new AppError("VALIDATION", "roi.imageId: not an image of this case", { field: "roi.imageId" });
    if (unit.laterality && image.laterality !== unit.laterality)
      throw new AppError("VALIDATION", `roi.imageId: mark the ${unit.laterality} breast, the one asked about`, {
        field: "roi.imageId",
      });
    const geometry = parseRoiGeometry(fields.roi.shape, fields.roi.geometry, image, "roi.geometry");
    roi = { roiImageId: image.id, roiShape: fields.roi.shape, roiGeometry: geometry as Prisma.InputJsonValue };
  }
  const classScores = fields.classScores
    ? Object.fromEntries(fields.classScores.map((s) => [s.subtype, s.score]))
    : undefined;
  return {
    answer: fields.answer,
    confidence: fields.confidence ?? null,
    classScores,
    ...roi,
    timeSpentMs: fields.timeSpentMs,
  };
}

/**
 * Submits the read of the reader's current step (in their own order, one phase at a time).
 * Submitted reads are locked: the Read table rejects UPDATE and DELETE.
 */
export async function submitRead(db: Db, viewer: Viewer, input: z.input<typeof submitInput>, requestId?: string) {
  const args = parseInput(submitInput, input);
  return db.$transaction(async (tx) => {
    const assignment = await getMyAssignment(tx, viewer, args.studyId);
    if (assignment.study.status !== "OPEN") throw new AppError("CONFLICT", "the study is closed: no more reads");
    const task = await nextTask(tx, assignment);
    if (!task) throw new AppError("CONFLICT", "you have read every case of this study");
    if (task.code !== args.caseCode || task.phase !== args.phase) {
      throw new AppError(
        "CONFLICT",
        `read your cases in your own order: your current step is case ${task.code}, ${task.phase.toLowerCase()}`,
        { field: "caseCode" },
      );
    }
    const data = await validatedReadData(tx, assignment, task, args);
    await assertCaseDelivered(tx, assignment.id, { id: task.studyCaseId, caseId: task.caseId });
    const read = await conflictOnDuplicate(
      () =>
        tx.read.create({
          data: { studyReaderId: assignment.id, studyCaseId: task.studyCaseId, phase: task.phase, version: 1, ...data },
        }),
      "this read was already submitted; submit a correction instead",
    );
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: assignment.study.siteId,
      action: "read.submit",
      entityType: "Read",
      entityId: read.id,
      after: read,
      requestId,
    });
    return { read, code: task.code, assignment };
  });
}

/**
 * A correction: a new version of the reader's latest read of a case and phase, with a reason.
 * In the AIDED arm the unaided read cannot be corrected: the AI's answer was shown right after it.
 */
export async function correctRead(db: Db, viewer: Viewer, input: z.input<typeof correctInput>, requestId?: string) {
  const args = parseInput(correctInput, input);
  return db.$transaction(async (tx) => {
    const previous = await tx.read.findFirst({
      where: { id: args.readId, studyReader: { userId: viewer.userId } },
      include: {
        studyCase: {
          select: {
            code: true,
            caseId: true,
            studyId: true,
            laterality: true,
            finding: { select: { laterality: true } },
          },
        },
      },
    });
    if (!previous) throw notFound("read");
    const assignment = await getMyAssignment(tx, viewer, previous.studyCase.studyId);
    if (assignment.study.status !== "OPEN")
      throw new AppError("CONFLICT", "the study is closed: reads can no longer be corrected");
    if (assignment.arm.kind === "AIDED" && previous.phase === "UNAIDED") {
      throw new AppError(
        "CONFLICT",
        "in the AIDED arm an unaided read cannot be corrected once submitted: the AI's answer is shown after it",
      );
    }
    const unit = {
      caseId: previous.studyCase.caseId,
      laterality: previous.studyCase.laterality ?? previous.studyCase.finding?.laterality ?? null,
    };
    const data = await validatedReadData(tx, assignment, unit, args);
    const read = await conflictOnDuplicate(
      () =>
        tx.read.create({
          data: {
            studyReaderId: assignment.id,
            studyCaseId: previous.studyCaseId,
            phase: previous.phase,
            version: previous.version + 1,
            supersedesId: previous.id,
            correctionReason: args.reason,
            ...data,
          },
        }),
      "this read was already corrected: correct its latest version",
      "readId",
    );
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: assignment.study.siteId,
      action: "read.correct",
      entityType: "Read",
      entityId: read.id,
      before: previous,
      after: read,
      requestId,
    });
    return { read, code: previous.studyCase.code, assignment };
  });
}

/** The reader's own reads in a study (every version), in submission order. */
export async function listMyReads(db: Db, viewer: Viewer, studyId: string) {
  const assignment = await getMyAssignment(db, viewer, studyId);
  const reads = await db.read.findMany({
    where: { studyReaderId: assignment.id },
    include: { studyCase: { select: { code: true } } },
    orderBy: [{ submittedAt: "asc" }, { version: "asc" }],
  });
  return reads.map((read) => ({ read, code: read.studyCase.code, assignment }));
}

/** The reader's own progress per study (first versions: corrections do not count twice). */
export async function loadMyProgress(db: Db, studyReaderIds: readonly string[]) {
  const counts = await db.read.groupBy({
    by: ["studyReaderId", "phase"],
    where: { studyReaderId: { in: [...studyReaderIds] }, version: 1 },
    _count: { _all: true },
  });
  return studyReaderIds.map((id) => ({
    unaidedReads: counts.find((c) => c.studyReaderId === id && c.phase === "UNAIDED")?._count._all ?? 0,
    aidedReads: counts.find((c) => c.studyReaderId === id && c.phase === "AIDED")?._count._all ?? 0,
  }));
}
