import { RoiShape, type Read, type Subtype } from "@mammo/db";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { LateralityEnum, SubtypeEnum, ViewPositionEnum } from "../../graphql/enums.ts";
import type { CaseAiAnswer } from "../inference/case-ai-answer.ts";
import {
  ArmKindEnum,
  ReaderStudyRef,
  StudyQuestionRef,
  StudyStatusEnum,
  StudyUnitEnum,
} from "../studies/study.schema.ts";
import {
  aiAssistanceFor,
  correctRead,
  getMyNextTask,
  listMyAssignments,
  listMyReads,
  loadFindingMarks,
  loadMyProgress,
  loadReadingImages,
  nextTask,
  submitRead,
  type Assignment,
  type ReadingTask,
} from "./reading.service.ts";

export const RoiShapeEnum = builder.enumType(RoiShape, { name: "RoiShape" });

type ReadingImageShape = {
  id: string;
  laterality: "R" | "L";
  view: "CC" | "MLO" | "OTHER";
  widthPx: number;
  heightPx: number;
};
export const ReadingImageRef = builder.objectRef<ReadingImageShape>("ReadingImage").implement({
  description: "An image of the case being read: geometry and where to fetch it, nothing about the patient",
  fields: (t) => ({
    id: t.string({ description: "The image's id (for an ROI mark)", resolve: (i) => encodeGlobalID("Image", i.id) }),
    laterality: t.expose("laterality", { type: LateralityEnum }),
    view: t.expose("view", { type: ViewPositionEnum }),
    widthPx: t.exposeInt("widthPx"),
    heightPx: t.exposeInt("heightPx"),
    displayUrl: t.string({
      description: "Path on the API server; send the same credentials",
      resolve: (i) => `/images/${i.id}/display.png`,
    }),
  }),
});

const ClassProbabilityRef = builder.objectRef<{ subtype: Subtype; probability: number }>("ClassProbability").implement({
  fields: (t) => ({ subtype: t.expose("subtype", { type: SubtypeEnum }), probability: t.exposeFloat("probability") }),
});

type HeatmapShape = CaseAiAnswer["heatmaps"][number];
export const AiHeatmapRef = builder.objectRef<HeatmapShape>("AiHeatmap").implement({
  fields: (t) => ({
    imageId: t.string({ resolve: (h) => encodeGlobalID("Image", h.imageId) }),
    url: t.string({
      description: "8-bit PNG heatmap (0..1 scaled to 0..255) at its own resolution; send the same credentials",
      resolve: (h) => `/saliency-maps/${h.saliencyMap.id}/heatmap.png`,
    }),
    widthPx: t.int({ resolve: (h) => h.saliencyMap.widthPx }),
    heightPx: t.int({ resolve: (h) => h.saliencyMap.heightPx }),
  }),
});

const AiAssistanceRef = builder.objectRef<CaseAiAnswer>("AiAssistance").implement({
  description: "The AI's answer for the case (mean class probability over the case's images) and its heatmaps",
  fields: (t) => ({
    answer: t.expose("answer", { type: SubtypeEnum }),
    probabilities: t.field({
      type: [ClassProbabilityRef],
      complexity: { field: 1, multiplier: 6 },
      resolve: (a) => a.classNames.map((name, k) => ({ subtype: name as Subtype, probability: a.probabilities[k]! })),
    }),
    heatmaps: t.field({ type: [AiHeatmapRef], complexity: { field: 1, multiplier: 4 }, resolve: (a) => a.heatmaps }),
  }),
});

const ClassScoreRef = builder.objectRef<{ subtype: Subtype; score: number }>("ClassScore").implement({
  fields: (t) => ({ subtype: t.expose("subtype", { type: SubtypeEnum }), score: t.exposeFloat("score") }),
});

export const ReadRoiRef = builder
  .objectRef<{ imageId: string; shape: RoiShape; geometry: unknown }>("ReadRoi")
  .implement({
    fields: (t) => ({
      imageId: t.string({ resolve: (r) => encodeGlobalID("Image", r.imageId) }),
      shape: t.expose("shape", { type: RoiShapeEnum }),
      geometry: t.field({
        type: "JSON",
        description: "Image pixel coordinates, as Annotation geometry",
        resolve: (r) => r.geometry,
      }),
    }),
  });

type MyReadShape = { read: Read; code: string };
const MyReadRef = builder.objectRef<MyReadShape>("MyRead").implement({
  description: "One of the viewer's own submitted reads (locked; a correction is a new version)",
  fields: (t) => ({
    id: t.string({ resolve: ({ read }) => encodeGlobalID("Read", read.id) }),
    caseCode: t.exposeString("code"),
    phase: t.field({ type: ArmKindEnum, resolve: ({ read }) => read.phase }),
    version: t.int({ resolve: ({ read }) => read.version }),
    answer: t.field({ type: SubtypeEnum, resolve: ({ read }) => read.answer }),
    confidence: t.int({ nullable: true, resolve: ({ read }) => read.confidence }),
    classScores: t.field({
      type: [ClassScoreRef],
      complexity: { field: 1, multiplier: 6 },
      resolve: ({ read }) =>
        Object.entries((read.classScores ?? {}) as Record<string, number>).map(([subtype, score]) => ({
          subtype: subtype as Subtype,
          score,
        })),
    }),
    roi: t.field({
      type: ReadRoiRef,
      nullable: true,
      resolve: ({ read }) =>
        read.roiImageId && read.roiShape
          ? { imageId: read.roiImageId, shape: read.roiShape, geometry: read.roiGeometry }
          : null,
    }),
    timeSpentMs: t.int({ resolve: ({ read }) => read.timeSpentMs }),
    submittedAt: t.field({ type: "DateTime", resolve: ({ read }) => read.submittedAt }),
    correctionReason: t.string({ nullable: true, resolve: ({ read }) => read.correctionReason }),
  }),
});

const ReadingTaskRef = builder.objectRef<ReadingTask>("ReadingTask").implement({
  description:
    "The reader's current step: a unit (a finding, a breast or a case, by its study code) and the phase to answer",
  fields: (t) => ({
    studyId: t.string({ resolve: (task) => encodeGlobalID("ReaderStudy", task.assignment.studyId) }),
    caseCode: t.exposeString("code"),
    unit: t.field({ type: StudyUnitEnum, resolve: (task) => task.assignment.study.unit }),
    laterality: t.expose("laterality", {
      type: LateralityEnum,
      nullable: true,
      description: "The breast the question is about (a finding's or a breast's unit); null: the whole case",
    }),
    findingMarks: t.field({
      type: [ReadRoiRef],
      description: "FINDING units: where the lesion asked about is outlined (the geometry of the finding's regions)",
      complexity: { field: 1, multiplier: 4 },
      resolve: async (task, _args, ctx) =>
        task.findingId ? (await loadFindingMarks(ctx.db, [task.findingId]))[0]! : [],
    }),
    position: t.exposeInt("position", { description: "1-based place of the case in the reader's own order" }),
    caseCount: t.int({ resolve: (task) => task.assignment.study.caseCount }),
    phase: t.expose("phase", { type: ArmKindEnum }),
    questions: t.field({
      type: [StudyQuestionRef],
      complexity: { field: 1, multiplier: 3 },
      resolve: (task) => task.assignment.study.questions,
    }),
    images: t.loadableList({
      type: ReadingImageRef,
      complexity: { field: 1, multiplier: 4 },
      load: (caseIds: string[], ctx) => loadReadingImages(ctx.db, caseIds),
      resolve: (task) => task.caseId,
    }),
    myUnaidedRead: t.field({
      type: MyReadRef,
      nullable: true,
      description: "AIDED phase: the reader's own unaided read of this case",
      resolve: (task) => (task.unaidedRead ? { read: task.unaidedRead, code: task.code } : null),
    }),
    ai: t.field({
      type: AiAssistanceRef,
      nullable: true,
      description: "AIDED phase only (after the reader's own unaided read of this case): the AI's answer and heatmaps",
      resolve: (task, _args, ctx) => aiAssistanceFor(ctx.db, task),
    }),
  }),
});

const AssignmentProgressRef = builder
  .objectRef<{ unaidedReads: number; aidedReads: number }>("MyReadingProgress")
  .implement({
    fields: (t) => ({ unaidedReads: t.exposeInt("unaidedReads"), aidedReads: t.exposeInt("aidedReads") }),
  });

const ReaderAssignmentRef = builder.objectRef<Assignment>("ReaderAssignment").implement({
  description: "A study the viewer reads, as a reader sees it",
  fields: (t) => ({
    studyId: t.string({ resolve: (a) => encodeGlobalID("ReaderStudy", a.studyId) }),
    studyName: t.string({ resolve: (a) => a.study.name }),
    studyDescription: t.string({ nullable: true, resolve: (a) => a.study.description }),
    status: t.field({ type: StudyStatusEnum, resolve: (a) => a.study.status }),
    arm: t.field({ type: ArmKindEnum, resolve: (a) => a.arm.kind }),
    caseCount: t.int({ resolve: (a) => a.study.caseCount }),
    questions: t.field({
      type: [StudyQuestionRef],
      complexity: { field: 1, multiplier: 3 },
      resolve: (a) => a.study.questions,
    }),
    progress: t.loadable({
      type: AssignmentProgressRef,
      load: (ids: string[], ctx) => loadMyProgress(ctx.db, ids),
      resolve: (a) => a.id,
    }),
    nextCase: t.field({ type: ReadingTaskRef, nullable: true, resolve: (a, _args, ctx) => nextTask(ctx.db, a) }),
  }),
});

builder.queryField("myReaderStudies", (t) =>
  t.field({
    type: [ReaderAssignmentRef],
    authScopes: { authenticated: true },
    description: "The open and closed studies the viewer reads",
    resolve: (_root, _args, ctx) => listMyAssignments(ctx.db, requireViewer(ctx)),
  }),
);

builder.queryField("myNextCase", (t) =>
  t.field({
    type: ReadingTaskRef,
    nullable: true,
    authScopes: { authenticated: true },
    description: "The viewer's next step in a study, in their own randomised order; null when done",
    args: { studyId: t.arg.globalID({ required: true, for: ReaderStudyRef }) },
    resolve: (_root, args, ctx) => getMyNextTask(ctx.db, requireViewer(ctx), args.studyId.id),
  }),
);

builder.queryField("myReads", (t) =>
  t.field({
    type: [MyReadRef],
    authScopes: { authenticated: true },
    description: "The viewer's own reads in a study, every version",
    args: { studyId: t.arg.globalID({ required: true, for: ReaderStudyRef }) },
    resolve: (_root, args, ctx) => listMyReads(ctx.db, requireViewer(ctx), args.studyId.id),
  }),
);

const ClassScoreInput = builder.inputType("ClassScoreInput", {
  fields: (t) => ({
    subtype: t.field({ type: SubtypeEnum, required: true }),
    score: t.float({ required: true, description: "0-100" }),
  }),
});
const ReadRoiInput = builder.inputType("ReadRoiInput", {
  fields: (t) => ({
    imageId: t.globalID({ required: true }),
    shape: t.field({ type: RoiShapeEnum, required: true }),
    geometry: t.field({
      type: "JSON",
      required: true,
      description:
        "POINT {x,y}; BOX {x,y,width,height}; ELLIPSE {cx,cy,rx,ry,rotationRad}; POLYGON {points:[[x,y],...]}",
    }),
  }),
});

const SubmitReadInput = builder.inputType("SubmitReadInput", {
  fields: (t) => ({
    studyId: t.globalID({ required: true }),
    caseCode: t.string({ required: true, description: "The current step's case (myNextCase)" }),
    phase: t.field({ type: ArmKindEnum, required: true, description: "The current step's phase" }),
    answer: t.field({ type: SubtypeEnum, required: true }),
    confidence: t.int({ required: false }),
    classScores: t.field({
      type: [ClassScoreInput],
      required: false,
      description: "Optional score per subtype (0-100), for ROC analysis",
    }),
    roi: t.field({ type: ReadRoiInput, required: false }),
    timeSpentMs: t.int({ required: true }),
  }),
});

const CorrectReadInput = builder.inputType("CorrectReadInput", {
  fields: (t) => ({
    readId: t.globalID({ required: true, description: "The latest version of the read being corrected" }),
    reason: t.string({ required: true }),
    answer: t.field({ type: SubtypeEnum, required: true }),
    confidence: t.int({ required: false }),
    classScores: t.field({ type: [ClassScoreInput], required: false }),
    roi: t.field({ type: ReadRoiInput, required: false }),
    timeSpentMs: t.int({ required: true }),
  }),
});

type ReadArgs = {
  answer: Subtype;
  confidence?: number | null;
  classScores?: readonly { subtype: Subtype; score: number }[] | null;
  roi?: { imageId: { id: string }; shape: RoiShape; geometry?: unknown } | null;
  timeSpentMs: number;
};
const readArgs = (input: ReadArgs) => ({
  answer: input.answer,
  confidence: input.confidence ?? undefined,
  classScores: input.classScores ? [...input.classScores] : undefined,
  roi: input.roi ? { imageId: input.roi.imageId.id, shape: input.roi.shape, geometry: input.roi.geometry } : undefined,
  timeSpentMs: input.timeSpentMs,
});

const SubmitReadPayloadRef = builder
  .objectRef<{ read: Read; code: string; assignment: Assignment }>("SubmitReadPayload")
  .implement({
    fields: (t) => ({
      read: t.field({ type: MyReadRef, resolve: (p) => ({ read: p.read, code: p.code }) }),
      next: t.field({
        type: ReadingTaskRef,
        nullable: true,
        description: "The step after this one",
        resolve: (p, _args, ctx) => nextTask(ctx.db, p.assignment),
      }),
    }),
  });

builder.mutationField("submitRead", (t) =>
  t.field({
    type: SubmitReadPayloadRef,
    authScopes: { authenticated: true },
    description: "Submits the current step's read; locked once submitted",
    args: { input: t.arg({ type: SubmitReadInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      submitRead(
        ctx.db,
        requireViewer(ctx),
        { studyId: input.studyId.id, caseCode: input.caseCode, phase: input.phase, ...readArgs(input) },
        ctx.requestId,
      ),
  }),
);

builder.mutationField("correctRead", (t) =>
  t.field({
    type: SubmitReadPayloadRef,
    authScopes: { authenticated: true },
    description: "A new version of one of the viewer's reads, with the reason (the old version is kept)",
    args: { input: t.arg({ type: CorrectReadInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      correctRead(
        ctx.db,
        requireViewer(ctx),
        { readId: input.readId.id, reason: input.reason, ...readArgs(input) },
        ctx.requestId,
      ),
  }),
);
