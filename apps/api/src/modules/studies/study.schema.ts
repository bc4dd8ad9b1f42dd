import {
  ArmKind,
  QuestionKind,
  StudyStatus,
  StudyUnit,
  type Subtype,
  type StudyArm,
  type StudyCase,
  type StudyQuestion,
} from "@mammo/db";
import { encodeGlobalID, resolveCursorConnection, type ResolveCursorConnectionArgs } from "@pothos/plugin-relay";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { LateralityEnum, SubtypeEnum } from "../../graphql/enums.ts";
import { CaseRef } from "../cases/case.schema.ts";
import { loadVisibleCases } from "../cases/case.service.ts";
import { FindingRef, visibleFindings } from "../pathology/finding.schema.ts";
import { loadSitesByIds } from "../sites/site.service.ts";
import { SiteRef } from "../sites/site.schema.ts";
import { resolveCreatedAtConnection } from "./created-at-page.ts";
import {
  addStudyCases,
  addStudyFindings,
  addStudyReader,
  listStudyCases,
  loadReaderProgress,
  loadReadersByStudyIds,
  removeStudyCases,
  removeStudyFindings,
  removeStudyReader,
  type ReaderProgress,
} from "./study-membership.service.ts";
import {
  closeReaderStudy,
  createReaderStudy,
  getReaderStudy,
  listReaderStudies,
  loadManagedStudies,
  openReaderStudy,
  updateReaderStudy,
  type StudyWithDesign,
} from "./study.service.ts";

export const StudyStatusEnum = builder.enumType(StudyStatus, { name: "StudyStatus" });
export const ArmKindEnum = builder.enumType(ArmKind, {
  name: "ArmKind",
  description:
    "UNAIDED: readers read alone. AIDED (sequential): after a reader's unaided read of a case, the AI's answer and heatmaps are shown and the reader answers again",
});
export const QuestionKindEnum = builder.enumType(QuestionKind, { name: "QuestionKind" });
export const StudyUnitEnum = builder.enumType(StudyUnit, {
  name: "StudyUnit",
  description:
    "What a read answers for. FINDING: one finding (the reader is shown which lesion is meant); BREAST: one breast; CASE: the whole exam",
});

export const StudyArmRef = builder.objectRef<StudyArm>("StudyArm").implement({
  fields: (t) => ({
    id: t.string({ resolve: (arm) => encodeGlobalID("StudyArm", arm.id) }),
    kind: t.expose("kind", { type: ArmKindEnum }),
    name: t.exposeString("name"),
  }),
});

export const StudyQuestionRef = builder.objectRef<StudyQuestion>("StudyQuestion").implement({
  fields: (t) => ({
    id: t.string({ resolve: (q) => encodeGlobalID("StudyQuestion", q.id) }),
    kind: t.expose("kind", { type: QuestionKindEnum }),
    prompt: t.exposeString("prompt"),
    options: t.field({
      type: [SubtypeEnum],
      description: "SUBTYPE questions: the answers offered, in order",
      resolve: (q) => q.options,
    }),
    isRequired: t.exposeBoolean("isRequired"),
    position: t.exposeInt("position"),
  }),
});

const StudyCaseRef = builder.objectRef<StudyCase>("StudyCase").implement({
  description: "One unit of a study (a finding, a breast or a case), known to readers only by its code",
  fields: (t) => ({
    id: t.string({ resolve: (sc) => encodeGlobalID("StudyCase", sc.id) }),
    code: t.exposeString("code"),
    laterality: t.expose("laterality", { type: LateralityEnum, nullable: true, description: "BREAST units" }),
    finding: t.field({
      type: FindingRef,
      nullable: true,
      description: "FINDING units: the finding, when the viewer may see it in the case browser",
      resolve: (sc, _args, ctx) => (sc.findingId ? visibleFindings(ctx).load(sc.findingId) : null),
    }),
    case: t.loadable({
      type: CaseRef,
      nullable: true,
      description: "The case in the case browser, when the viewer may see it there (cases of other sites: null)",
      load: (ids: string[], ctx) => loadVisibleCases(ctx.db, ctx.viewer, ids),
      resolve: (sc) => sc.caseId,
    }),
  }),
});

const ReaderProgressRef = builder.objectRef<ReaderProgress>("ReaderProgress").implement({
  description: "Counts only: a study's answers are visible once it is closed",
  fields: (t) => ({
    unaidedReads: t.exposeInt("unaidedReads"),
    aidedReads: t.exposeInt("aidedReads"),
    caseCount: t.exposeInt("caseCount"),
    isComplete: t.boolean({
      resolve: (p) => p.caseCount > 0 && p.unaidedReads >= p.caseCount && (!p.isAided || p.aidedReads >= p.caseCount),
    }),
  }),
});

type StudyReaderShape = {
  id: string;
  studyId: string;
  arm: StudyArm;
  user: { id: string; name: string; email: string };
};
export const StudyReaderRef = builder.objectRef<StudyReaderShape>("StudyReader").implement({
  fields: (t) => ({
    id: t.string({ resolve: (r) => encodeGlobalID("StudyReader", r.id) }),
    userName: t.string({ resolve: (r) => r.user.name }),
    email: t.string({ resolve: (r) => r.user.email }),
    arm: t.field({ type: StudyArmRef, resolve: (r) => r.arm }),
    progress: t.loadable({
      type: ReaderProgressRef,
      load: (ids: string[], ctx) => loadReaderProgress(ctx.db, ids),
      resolve: (r) => r.id,
    }),
  }),
});

export const ReaderStudyRef = builder.objectRef<StudyWithDesign>("ReaderStudy");
builder.node(ReaderStudyRef, {
  description: "A reader study as its coordinators see it (readers see their own assignment: myReaderStudies)",
  id: { resolve: (s) => s.id },
  loadMany: (ids, ctx) => loadManagedStudies(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
    status: t.expose("status", { type: StudyStatusEnum }),
    unit: t.expose("unit", { type: StudyUnitEnum }),
    seed: t.exposeInt("seed", { description: "With each reader's id, fixes that reader's case order" }),
    site: t.loadable({
      type: SiteRef,
      load: (ids: string[], ctx) => loadSitesByIds(ctx.db, ids),
      resolve: (s) => s.siteId,
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    openedAt: t.expose("openedAt", { type: "DateTime", nullable: true }),
    closedAt: t.expose("closedAt", { type: "DateTime", nullable: true }),
    arms: t.field({ type: [StudyArmRef], complexity: { field: 1, multiplier: 2 }, resolve: (s) => s.arms }),
    questions: t.field({
      type: [StudyQuestionRef],
      complexity: { field: 1, multiplier: 3 },
      resolve: (s) => s.questions,
    }),
    readers: t.loadableList({
      type: StudyReaderRef,
      description: "Assigned readers with their progress (counts while open)",
      load: (ids: string[], ctx) => loadReadersByStudyIds(ctx.db, ids),
      resolve: (s) => s.id,
    }),
    cases: t.connection({
      type: StudyCaseRef,
      description: "The study's units (findings, breasts or cases), by code",
      complexity: (args) => ({ field: 1, multiplier: Math.min(args.first ?? args.last ?? 20, 100) }),
      resolve: (study, args, ctx) =>
        resolveCursorConnection(
          {
            args,
            toCursor: (sc: StudyCase) => Buffer.from(sc.code).toString("base64url"),
            defaultSize: 20,
            maxSize: 100,
          },
          ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
            listStudyCases(ctx.db, study.id, {
              limit,
              inverted,
              afterCode: after ? Buffer.from(after, "base64url").toString("utf8") : undefined,
              beforeCode: before ? Buffer.from(before, "base64url").toString("utf8") : undefined,
            }),
        ),
    }),
  }),
});

builder.queryField("readerStudies", (t) =>
  t.connection({
    type: ReaderStudyRef,
    authScopes: { authenticated: true },
    description: "Reader studies of the sites the viewer coordinates, newest first",
    args: {
      siteId: t.arg.globalID({ required: false, for: SiteRef }),
      status: t.arg({ type: StudyStatusEnum, required: false }),
    },
    complexity: (args) => ({ field: 1, multiplier: Math.min(args.first ?? args.last ?? 20, 100) }),
    resolve: (_root, args, ctx) =>
      resolveCreatedAtConnection(args, (page) =>
        listReaderStudies(
          ctx.db,
          requireViewer(ctx),
          { siteId: args.siteId?.id, status: args.status ?? undefined },
          page,
        ),
      ),
  }),
);

builder.queryField("readerStudy", (t) =>
  t.field({
    type: ReaderStudyRef,
    authScopes: { authenticated: true },
    args: { id: t.arg.globalID({ required: true, for: ReaderStudyRef }) },
    resolve: (_root, args, ctx) => getReaderStudy(ctx.db, requireViewer(ctx), args.id.id),
  }),
);

const StudyArmInput = builder.inputType("StudyArmInput", {
  fields: (t) => ({ kind: t.field({ type: ArmKindEnum, required: true }), name: t.string({ required: false }) }),
});
const StudyQuestionInput = builder.inputType("StudyQuestionInput", {
  fields: (t) => ({
    kind: t.field({ type: QuestionKindEnum, required: true }),
    prompt: t.string({ required: true }),
    options: t.field({ type: [SubtypeEnum], required: false }),
    isRequired: t.boolean({ required: false }),
  }),
});

type ArmArg = { kind: ArmKind; name?: string | null };
type QuestionArg = {
  kind: QuestionKind;
  prompt: string;
  options?: readonly Subtype[] | null;
  isRequired?: boolean | null;
};
type StudySettingsArg = {
  description?: string | null;
  unit?: StudyUnit | null;
  modelVersionId?: { id: string } | null;
  seed?: number | null;
  arms?: readonly ArmArg[] | null;
  questions?: readonly QuestionArg[] | null;
};
/** The settings a study is created with and that an update of a DRAFT may change, as the service takes them. */
const studySettingsArg = (input: StudySettingsArg) => ({
  description: input.description ?? undefined,
  unit: input.unit ?? undefined,
  modelVersionId: input.modelVersionId?.id,
  seed: input.seed ?? undefined,
  arms: input.arms?.map((a) => ({ kind: a.kind, name: a.name ?? undefined })),
  questions: input.questions?.map((q) => ({
    kind: q.kind,
    prompt: q.prompt,
    options: q.options ? [...q.options] : undefined,
    isRequired: q.isRequired ?? undefined,
  })),
});

const CreateReaderStudyInput = builder.inputType("CreateReaderStudyInput", {
  fields: (t) => ({
    siteId: t.globalID({ required: true, description: "The coordinating site (the viewer is COORDINATOR there)" }),
    name: t.string({ required: true }),
    description: t.string({ required: false }),
    unit: t.field({
      type: StudyUnitEnum,
      required: false,
      description: "What a read answers for; FINDING when left out",
    }),
    modelVersionId: t.globalID({
      required: false,
      description: "The AI compared with the readers and shown in the AIDED arm",
    }),
    seed: t.int({ required: false, description: "Fixes the readers' case orders; random when left out" }),
    arms: t.field({ type: [StudyArmInput], required: false, description: "Default: one UNAIDED arm" }),
    questions: t.field({
      type: [StudyQuestionInput],
      required: false,
      description: "Default: subtype (the three IDC subtypes), confidence 0-100, optional ROI mark",
    }),
  }),
});

builder.mutationField("createReaderStudy", (t) =>
  t.field({
    type: ReaderStudyRef,
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: CreateReaderStudyInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createReaderStudy(
        ctx.db,
        requireViewer(ctx),
        { siteId: input.siteId.id, name: input.name, ...studySettingsArg(input) },
        ctx.requestId,
      ),
  }),
);

const UpdateReaderStudyInput = builder.inputType("UpdateReaderStudyInput", {
  fields: (t) => ({
    studyId: t.globalID({ required: true }),
    name: t.string({ required: false }),
    description: t.string({ required: false }),
    unit: t.field({ type: StudyUnitEnum, required: false, description: "DRAFT only, before cases are added" }),
    modelVersionId: t.globalID({ required: false, description: "DRAFT only" }),
    seed: t.int({ required: false, description: "DRAFT only" }),
    arms: t.field({ type: [StudyArmInput], required: false, description: "DRAFT only: replaces the arms" }),
    questions: t.field({
      type: [StudyQuestionInput],
      required: false,
      description: "DRAFT only: replaces the questions",
    }),
  }),
});

builder.mutationField("updateReaderStudy", (t) =>
  t.field({
    type: ReaderStudyRef,
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: UpdateReaderStudyInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateReaderStudy(
        ctx.db,
        requireViewer(ctx),
        { studyId: input.studyId.id, name: input.name ?? undefined, ...studySettingsArg(input) },
        ctx.requestId,
      ),
  }),
);

const StudyCasesInput = builder.inputType("StudyCasesInput", {
  fields: (t) => ({ studyId: t.globalID({ required: true }), caseIds: t.globalIDList({ required: true }) }),
});

builder.mutationField("addStudyCases", (t) =>
  t.field({
    type: ReaderStudyRef,
    authScopes: { authenticated: true },
    description:
      "DRAFT only. Adds the cases' units (the case, its imaged breasts, or its findings, per the study's unit); each gets a random code, the only name its readers see",
    args: { input: t.arg({ type: StudyCasesInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      addStudyCases(
        ctx.db,
        requireViewer(ctx),
        { studyId: input.studyId.id, caseIds: input.caseIds.map((c) => c.id) },
        ctx.requestId,
      ),
  }),
);

builder.mutationField("removeStudyCases", (t) =>
  t.field({
    type: ReaderStudyRef,
    authScopes: { authenticated: true },
    description: "DRAFT only: removes every unit of these cases",
    args: { input: t.arg({ type: StudyCasesInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      removeStudyCases(
        ctx.db,
        requireViewer(ctx),
        { studyId: input.studyId.id, caseIds: input.caseIds.map((c) => c.id) },
        ctx.requestId,
      ),
  }),
);

const StudyFindingsInput = builder.inputType("StudyFindingsInput", {
  fields: (t) => ({
    studyId: t.globalID({ required: true }),
    findingIds: t.globalIDList({ required: true, for: FindingRef }),
  }),
});

builder.mutationField("addStudyFindings", (t) =>
  t.field({
    type: ReaderStudyRef,
    authScopes: { authenticated: true },
    description: "DRAFT FINDING studies only: adds chosen findings (placed on a breast), each with a random code",
    args: { input: t.arg({ type: StudyFindingsInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      addStudyFindings(
        ctx.db,
        requireViewer(ctx),
        { studyId: input.studyId.id, findingIds: input.findingIds.map((f) => f.id) },
        ctx.requestId,
      ),
  }),
);

builder.mutationField("removeStudyFindings", (t) =>
  t.field({
    type: ReaderStudyRef,
    authScopes: { authenticated: true },
    description: "DRAFT only",
    args: { input: t.arg({ type: StudyFindingsInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      removeStudyFindings(
        ctx.db,
        requireViewer(ctx),
        { studyId: input.studyId.id, findingIds: input.findingIds.map((f) => f.id) },
        ctx.requestId,
      ),
  }),
);

const AddStudyReaderInput = builder.inputType("AddStudyReaderInput", {
  fields: (t) => ({
    studyId: t.globalID({ required: true }),
    email: t.string({ required: true, description: "A user with the READER role at any site" }),
    arm: t.field({ type: ArmKindEnum, required: true }),
  }),
});

builder.mutationField("addStudyReader", (t) =>
  t.field({
    type: StudyReaderRef,
    authScopes: { authenticated: true },
    description: "DRAFT only",
    args: { input: t.arg({ type: AddStudyReaderInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      addStudyReader(
        ctx.db,
        requireViewer(ctx),
        { studyId: input.studyId.id, email: input.email, arm: input.arm },
        ctx.requestId,
      ),
  }),
);

builder.mutationField("removeStudyReader", (t) =>
  t.field({
    type: ReaderStudyRef,
    authScopes: { authenticated: true },
    description: "DRAFT only",
    args: { studyReaderId: t.arg.globalID({ required: true, for: StudyReaderRef }) },
    resolve: (_root, args, ctx) => removeStudyReader(ctx.db, requireViewer(ctx), args.studyReaderId.id, ctx.requestId),
  }),
);

builder.mutationField("openReaderStudy", (t) =>
  t.field({
    type: ReaderStudyRef,
    authScopes: { authenticated: true },
    description: "DRAFT -> OPEN: fixes each reader's randomised case order",
    args: { id: t.arg.globalID({ required: true, for: ReaderStudyRef }) },
    resolve: (_root, args, ctx) => openReaderStudy(ctx.db, requireViewer(ctx), args.id.id, ctx.requestId),
  }),
);

builder.mutationField("closeReaderStudy", (t) =>
  t.field({
    type: ReaderStudyRef,
    authScopes: { authenticated: true },
    description: "OPEN -> CLOSED: reading stops; the answers and the report become visible to coordinators",
    args: { id: t.arg.globalID({ required: true, for: ReaderStudyRef }) },
    resolve: (_root, args, ctx) => closeReaderStudy(ctx.db, requireViewer(ctx), args.id.id, ctx.requestId),
  }),
);
