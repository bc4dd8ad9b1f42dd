import { ArmKind, QuestionKind, StudyStatus, StudyUnit, Subtype, type Db, type Prisma, type Tx } from "@mammo/db";
import { z } from "zod";
import { hasRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { visibleModelVersionsWhere } from "../models/model-access.ts";
import { conflictOnDuplicate, getManagedStudy, managedStudiesWhere } from "./study-access.ts";
import { createdAtPageQuery, type CreatedAtPage } from "./created-at-page.ts";
import { readerCaseOrder } from "./reader-order.ts";

const ARM_NAMES: Record<ArmKind, string> = { UNAIDED: "Unaided", AIDED: "AI-aided (sequential)" };

/** The three IDC subtypes of the Ueda study: the default answers of a subtype question. */
export const IDC_SUBTYPES: Subtype[] = ["TUBULE_FORMING", "SOLID", "SCIRRHOUS"];

export const DEFAULT_QUESTIONS = [
  { kind: "SUBTYPE", prompt: "Pathological subtype", options: IDC_SUBTYPES, isRequired: true },
  { kind: "CONFIDENCE", prompt: "Confidence in your answer (0-100)", options: [], isRequired: true },
  { kind: "ROI", prompt: "Mark the region that decided your answer (optional)", options: [], isRequired: false },
] as const satisfies { kind: QuestionKind; prompt: string; options: readonly Subtype[]; isRequired: boolean }[];

const armsInput = z
  .array(z.object({ kind: z.enum(ArmKind), name: z.string().trim().min(1).max(100).optional() }))
  .min(1, "a study needs at least one arm")
  .refine((arms) => new Set(arms.map((a) => a.kind)).size === arms.length, "each arm kind at most once");

const questionsInput = z
  .array(
    z.object({
      kind: z.enum(QuestionKind),
      prompt: z.string().trim().min(1).max(500),
      options: z.array(z.enum(Subtype)).optional(),
      isRequired: z.boolean().optional(),
    }),
  )
  .min(1)
  .max(10)
  .superRefine((questions, ctx) => {
    const subtype = questions.filter((q) => q.kind === "SUBTYPE");
    if (subtype.length !== 1)
      ctx.addIssue({
        code: "custom",
        message: "exactly one SUBTYPE question is needed (the answer compared with the truth)",
      });
    for (const kind of ["CONFIDENCE", "ROI"] as const) {
      if (questions.filter((q) => q.kind === kind).length > 1)
        ctx.addIssue({ code: "custom", message: `at most one ${kind} question` });
    }
    for (const [index, q] of questions.entries()) {
      const options = q.options ?? [];
      if (q.kind === "SUBTYPE" && (options.length < 2 || new Set(options).size !== options.length)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "options"],
          message: "a SUBTYPE question needs at least two distinct options",
        });
      }
      if (q.kind !== "SUBTYPE" && options.length > 0)
        ctx.addIssue({ code: "custom", path: [index, "options"], message: "only SUBTYPE questions have options" });
      if (q.kind === "SUBTYPE" && q.isRequired === false)
        ctx.addIssue({
          code: "custom",
          path: [index, "isRequired"],
          message: "the SUBTYPE question is always required",
        });
    }
  });

const studyName = z.string().trim().min(1).max(200);
const studyDescription = z.string().trim().max(5000);
const studySeed = z.number().int().min(0).max(2_147_483_647);

const createInput = z.object({
  siteId: z.uuid(),
  name: studyName,
  description: studyDescription.optional(),
  /** What a read answers for; a finding (the reader is shown which lesion) unless said. */
  unit: z.enum(StudyUnit).optional(),
  modelVersionId: z.uuid().optional(),
  seed: studySeed.optional(),
  arms: armsInput.optional(),
  questions: questionsInput.optional(),
});

const updateInput = z.object({
  studyId: z.uuid(),
  name: studyName.optional(),
  description: studyDescription.optional(),
  unit: z.enum(StudyUnit).optional(),
  modelVersionId: z.uuid().optional(),
  seed: studySeed.optional(),
  arms: armsInput.optional(),
  questions: questionsInput.optional(),
});

type QuestionRows = { kind: QuestionKind; prompt: string; options?: readonly Subtype[]; isRequired?: boolean }[];
const questionRows = (studyId: string, questions: QuestionRows) =>
  questions.map((q, position) => ({
    studyId,
    kind: q.kind,
    prompt: q.prompt,
    options: [...(q.options ?? [])],
    isRequired: q.kind === "SUBTYPE" ? true : (q.isRequired ?? true),
    position,
  }));

export const studyInclude = {
  arms: { orderBy: { kind: "desc" } }, // UNAIDED, then AIDED
  questions: { orderBy: { position: "asc" } },
} satisfies Prisma.ReaderStudyInclude;

export type StudyWithDesign = Prisma.ReaderStudyGetPayload<{ include: typeof studyInclude }>;

/** Reads the study as changed inside `tx` and records the change in the audit log (the same transaction). */
async function auditedStudy(
  tx: Tx,
  viewer: Viewer,
  change: { studyId: string; action: string; before?: unknown; requestId?: string },
): Promise<StudyWithDesign> {
  const after = await tx.readerStudy.findUniqueOrThrow({ where: { id: change.studyId }, include: studyInclude });
  await recordAudit(tx, {
    actorId: viewer.userId,
    siteId: after.siteId,
    action: change.action,
    entityType: "ReaderStudy",
    entityId: after.id,
    before: change.before,
    after,
    requestId: change.requestId,
  });
  return after;
}

async function assertModelVersionVisible(db: Db | Tx, viewer: Viewer, modelVersionId: string) {
  const found = await db.modelVersion.findFirst({
    where: { AND: [{ id: modelVersionId }, visibleModelVersionsWhere(viewer)] },
    select: { id: true },
  });
  if (!found) throw new AppError("NOT_FOUND", "modelVersionId: model version not found", { field: "modelVersionId" });
}

/** A new DRAFT study at a site the viewer coordinates; one UNAIDED arm and the standard questions unless given. */
export async function createReaderStudy(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof createInput>,
  requestId?: string,
) {
  const args = parseInput(createInput, input);
  if (!hasRole(viewer, args.siteId, "COORDINATOR"))
    throw forbidden("only coordinators of the site can create its reader studies");
  if (args.modelVersionId) await assertModelVersionVisible(db, viewer, args.modelVersionId);
  const arms = args.arms ?? [{ kind: "UNAIDED" as const }];
  return db.$transaction(async (tx) => {
    const study = await conflictOnDuplicate(
      () =>
        tx.readerStudy.create({
          data: {
            siteId: args.siteId,
            name: args.name,
            description: args.description || null,
            unit: args.unit ?? "FINDING",
            modelVersionId: args.modelVersionId,
            // A random seed unless the coordinator fixes one (to reproduce an order).
            seed: args.seed ?? Math.floor(Math.random() * 2_147_483_647),
            createdById: viewer.userId,
            arms: { create: arms.map((a) => ({ kind: a.kind, name: a.name ?? ARM_NAMES[a.kind] })) },
          },
        }),
      "a reader study with this name exists at this site",
      "name",
    );
    await tx.studyQuestion.createMany({ data: questionRows(study.id, args.questions ?? DEFAULT_QUESTIONS) });
    return auditedStudy(tx, viewer, { studyId: study.id, action: "readerStudy.create", requestId });
  });
}

/** Name and description change any time; the design (model, seed, arms, questions) only in DRAFT. */
export async function updateReaderStudy(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof updateInput>,
  requestId?: string,
) {
  const args = parseInput(updateInput, input);
  const changesDesign =
    args.unit !== undefined ||
    args.modelVersionId !== undefined ||
    args.seed !== undefined ||
    args.arms !== undefined ||
    args.questions !== undefined;
  if (args.modelVersionId) await assertModelVersionVisible(db, viewer, args.modelVersionId);
  return db.$transaction(async (tx) => {
    const before = await getManagedStudy(tx, viewer, args.studyId).then((s) =>
      tx.readerStudy.findUniqueOrThrow({ where: { id: s.id }, include: studyInclude }),
    );
    if (changesDesign && before.status !== "DRAFT")
      throw new AppError("CONFLICT", "the design of a study is fixed once it is opened");
    if (args.unit && args.unit !== before.unit && (await tx.studyCase.count({ where: { studyId: before.id } })) > 0)
      throw new AppError("CONFLICT", "unit: remove the study's cases before changing what a read answers for", {
        field: "unit",
      });
    await conflictOnDuplicate(
      () =>
        tx.readerStudy.update({
          where: { id: before.id },
          data: {
            name: args.name,
            description: args.description === undefined ? undefined : args.description || null,
            unit: args.unit,
            modelVersionId: args.modelVersionId,
            seed: args.seed,
          },
        }),
      "a reader study with this name exists at this site",
      "name",
    );
    if (args.arms) {
      const kinds = args.arms.map((a) => a.kind);
      const dropped = before.arms.filter((a) => !kinds.includes(a.kind));
      if (
        dropped.length > 0 &&
        (await tx.studyReader.count({ where: { armId: { in: dropped.map((a) => a.id) } } })) > 0
      ) {
        throw new AppError(
          "CONFLICT",
          "arms: an arm that has readers cannot be removed; move or remove its readers first",
          { field: "arms" },
        );
      }
      await tx.studyArm.deleteMany({ where: { id: { in: dropped.map((a) => a.id) } } });
      for (const arm of args.arms) {
        const name = arm.name ?? ARM_NAMES[arm.kind];
        await tx.studyArm.upsert({
          where: { studyId_kind: { studyId: before.id, kind: arm.kind } },
          create: { studyId: before.id, kind: arm.kind, name },
          update: { name },
        });
      }
    }
    if (args.questions) {
      await tx.studyQuestion.deleteMany({ where: { studyId: before.id } });
      await tx.studyQuestion.createMany({ data: questionRows(before.id, args.questions) });
    }
    return auditedStudy(tx, viewer, { studyId: before.id, action: "readerStudy.update", before, requestId });
  });
}

/**
 * DRAFT -> OPEN: checks the study can be read, then fixes every reader's randomised order
 * (seeded by the study seed and the reader, stored so it survives restarts and later changes).
 */
export async function openReaderStudy(db: Db, viewer: Viewer, studyId: string, requestId?: string) {
  const id = parseInput(z.uuid(), studyId);
  return db.$transaction(async (tx) => {
    const study = await getManagedStudy(tx, viewer, id);
    // The conditional update is the lock: of two concurrent opens only one sees DRAFT.
    const { count } = await tx.readerStudy.updateMany({
      where: { id: study.id, status: "DRAFT" },
      data: { status: "OPEN", openedAt: new Date() },
    });
    if (count === 0)
      throw new AppError("CONFLICT", `the study is ${study.status.toLowerCase()}, only a draft can be opened`);
    const full = await tx.readerStudy.findUniqueOrThrow({
      where: { id: study.id },
      include: { ...studyInclude, cases: { select: { id: true } }, readers: { include: { arm: true } } },
    });
    if (full.cases.length === 0) throw new AppError("CONFLICT", "add cases before opening the study");
    if (full.readers.length === 0) throw new AppError("CONFLICT", "assign readers before opening the study");
    if (full.readers.some((r) => r.arm.kind === "AIDED")) {
      if (!full.modelVersionId)
        throw new AppError(
          "CONFLICT",
          "an AIDED arm needs the AI model version the readers are shown (modelVersionId)",
        );
      const missing = await casesWithoutPrediction(tx, full.id, full.modelVersionId);
      if (missing > 0)
        throw new AppError(
          "CONFLICT",
          `the study's model version has no predictions for ${missing} of its cases: request inference for the study first`,
        );
    }
    await tx.readerCaseOrder.createMany({
      data: full.readers.flatMap((reader) =>
        readerCaseOrder(full.cases, full.seed, reader.userId).map((studyCase, position) => ({
          studyReaderId: reader.id,
          studyCaseId: studyCase.id,
          position,
        })),
      ),
    });
    return auditedStudy(tx, viewer, { studyId: study.id, action: "readerStudy.open", before: study, requestId });
  });
}

/**
 * Study cases none of whose unit's images (its breast's, or the case's for a CASE unit) has a
 * prediction of the model version: AIDED readers would see no AI.
 */
async function casesWithoutPrediction(tx: Tx, studyId: string, modelVersionId: string) {
  const [row] = await tx.$queryRaw<{ missing: number }[]>`
    SELECT count(*)::int AS missing FROM "StudyCase" sc
    LEFT JOIN "Finding" f ON f.id = sc."findingId"
    WHERE sc."studyId" = ${studyId}::uuid AND NOT EXISTS (
      SELECT 1 FROM "Image" i JOIN "Prediction" p ON p."imageId" = i.id AND p."modelVersionId" = ${modelVersionId}::uuid
      WHERE i."caseId" = sc."caseId" AND i.status = 'ACTIVE'
        AND (coalesce(sc.laterality, f.laterality) IS NULL OR i.laterality = coalesce(sc.laterality, f.laterality)))`;
  return row!.missing;
}

/** OPEN -> CLOSED: reading stops; coordinators get the answers and the report. */
export async function closeReaderStudy(db: Db, viewer: Viewer, studyId: string, requestId?: string) {
  const id = parseInput(z.uuid(), studyId);
  return db.$transaction(async (tx) => {
    const study = await getManagedStudy(tx, viewer, id);
    const { count } = await tx.readerStudy.updateMany({
      where: { id: study.id, status: "OPEN" },
      data: { status: "CLOSED", closedAt: new Date() },
    });
    if (count === 0)
      throw new AppError("CONFLICT", `the study is ${study.status.toLowerCase()}, only an open study can be closed`);
    return auditedStudy(tx, viewer, { studyId: study.id, action: "readerStudy.close", before: study, requestId });
  });
}

export async function getReaderStudy(db: Db, viewer: Viewer, studyId: string) {
  const id = parseInput(z.uuid(), studyId);
  const study = await db.readerStudy.findFirst({
    where: { AND: [{ id }, managedStudiesWhere(viewer)] },
    include: studyInclude,
  });
  if (!study) throw notFound("reader study");
  return study;
}

/** Studies for node lookup: only those the viewer manages (others come back null). */
export async function loadManagedStudies(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const studies = await db.readerStudy.findMany({
    where: { AND: [{ id: { in: [...ids] } }, managedStudiesWhere(viewer)] },
    include: studyInclude,
  });
  return ids.map((id) => studies.find((s) => s.id === id) ?? null);
}

const listInput = z.object({ siteId: z.uuid().optional(), status: z.enum(StudyStatus).optional() });

/** A page of the studies the viewer manages, newest first. */
export async function listReaderStudies(db: Db, viewer: Viewer, input: z.input<typeof listInput>, page: CreatedAtPage) {
  const args = parseInput(listInput, input);
  const query = createdAtPageQuery(page);
  return db.readerStudy.findMany({
    where: {
      AND: [
        managedStudiesWhere(viewer),
        args.siteId ? { siteId: args.siteId } : {},
        args.status ? { status: args.status } : {},
        ...query.where,
      ],
    },
    orderBy: query.orderBy,
    take: query.take,
    include: studyInclude,
  });
}
