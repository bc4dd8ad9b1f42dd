import type { ConsensusDecision, PathologyLabel } from "@mammo/db";
import { ConsensusMethod } from "@mammo/db";
import { builder } from "../../graphql/builder.ts";
import { requireViewer, type GraphQLContext } from "../../graphql/context.ts";
import { LateralityEnum, SpecimenSourceEnum, SubtypeEnum } from "../../graphql/enums.ts";
import { requestLoader } from "../../graphql/request-loader.ts";
import { CaseLabelStatusEnum, CaseRef } from "../cases/case.schema.ts";
import { UserSummaryRef } from "../users/user.schema.ts";
import { caseTruth, currentLabels } from "./case-truth.ts";
import {
  decideConsensus,
  getPathologyHistory,
  loadConsensusByCaseIds,
  type PathologyEvent,
} from "./consensus.service.ts";
import {
  addPathologyLabel,
  correctPathologyLabel,
  loadLabelsByCaseIds,
  loadVisibleLabels,
  retractPathologyLabel,
} from "./pathology-label.service.ts";

type Author = { author: { id: string; name: string } };
type LabelShape = PathologyLabel & Partial<Author>;
type DecisionShape = ConsensusDecision & { decidedBy?: { id: string; name: string } };

const labelsOfCase = (ctx: GraphQLContext) =>
  requestLoader(ctx, "labelsByCase", (ids: readonly string[]) => loadLabelsByCaseIds(ctx.db, ctx.viewer, ids));
const decisionsOfCase = (ctx: GraphQLContext) =>
  requestLoader(ctx, "consensusByCase", (ids: readonly string[]) => loadConsensusByCaseIds(ctx.db, ctx.viewer, ids));
const userName = (ctx: GraphQLContext, id: string) =>
  ctx.db.user.findUniqueOrThrow({ where: { id }, select: { id: true, name: true } });

export const ConsensusMethodEnum = builder.enumType(ConsensusMethod, { name: "ConsensusMethod" });

export const PathologyLabelRef = builder.objectRef<LabelShape>("PathologyLabel");
builder.node(PathologyLabelRef, {
  id: { resolve: (label) => label.id },
  loadMany: (ids, ctx) => loadVisibleLabels(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    subtype: t.expose("subtype", { type: SubtypeEnum }),
    source: t.expose("source", { type: SpecimenSourceEnum }),
    specimenDate: t.expose("specimenDate", { type: "Date", nullable: true }),
    laterality: t.expose("laterality", { type: LateralityEnum, nullable: true }),
    note: t.exposeString("note", { nullable: true }),
    author: t.field({
      type: UserSummaryRef,
      resolve: (label, _args, ctx) => label.author ?? userName(ctx, label.authorId),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    retractedAt: t.expose("retractedAt", { type: "DateTime", nullable: true }),
    replaces: t.field({
      type: PathologyLabelRef,
      nullable: true,
      description: "The label this one corrects",
      resolve: async (label, _args, ctx) =>
        label.replacesId
          ? ((await labelsOfCase(ctx).load(label.caseId)).find((l) => l.id === label.replacesId) ?? null)
          : null,
    }),
    isCurrent: t.boolean({
      description: "Neither retracted nor replaced by a correction",
      resolve: async (label, _args, ctx) =>
        currentLabels(await labelsOfCase(ctx).load(label.caseId)).some((l) => l.id === label.id),
    }),
  }),
});

export const ConsensusDecisionRef = builder.objectRef<DecisionShape>("ConsensusDecision");
builder.node(ConsensusDecisionRef, {
  id: { resolve: (d) => d.id },
  loadMany: async (ids, ctx) => {
    const caseIds = (
      await ctx.db.consensusDecision.findMany({ where: { id: { in: [...ids] } }, select: { caseId: true } })
    ).map((d) => d.caseId);
    const visible = (await decisionsOfCase(ctx).loadMany(caseIds)).flatMap((d) => (d instanceof Error ? [] : d));
    return ids.map((id) => visible.find((d) => d.id === id) ?? null);
  },
  fields: (t) => ({
    subtype: t.expose("subtype", { type: SubtypeEnum }),
    method: t.expose("method", { type: ConsensusMethodEnum }),
    rationale: t.exposeString("rationale", { nullable: true }),
    decidedBy: t.field({
      type: UserSummaryRef,
      resolve: (d, _args, ctx) => d.decidedBy ?? userName(ctx, d.decidedById),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    supersededAt: t.expose("supersededAt", { type: "DateTime", nullable: true }),
  }),
});

builder.objectFields(CaseRef, (t) => ({
  pathologyLabels: t.field({
    type: [PathologyLabelRef],
    description: "Every label of the case, newest first (corrected and retracted ones included)",
    resolve: (c, _args, ctx) => labelsOfCase(ctx).load(c.id),
  }),
  labelStatus: t.field({
    type: CaseLabelStatusEnum,
    resolve: async (c, _args, ctx) => {
      const [labels, decisions] = await Promise.all([labelsOfCase(ctx).load(c.id), decisionsOfCase(ctx).load(c.id)]);
      return caseTruth(labels, decisions.find((d) => !d.supersededAt) ?? null).status;
    },
  }),
  truth: t.field({
    type: SubtypeEnum,
    nullable: true,
    description:
      "The consensus subtype, or the subtype every current label agrees on; null when unlabelled or in conflict",
    resolve: async (c, _args, ctx) => {
      const [labels, decisions] = await Promise.all([labelsOfCase(ctx).load(c.id), decisionsOfCase(ctx).load(c.id)]);
      return caseTruth(labels, decisions.find((d) => !d.supersededAt) ?? null).subtype;
    },
  }),
  consensus: t.field({
    type: ConsensusDecisionRef,
    nullable: true,
    description: "The current consensus decision",
    resolve: async (c, _args, ctx) => (await decisionsOfCase(ctx).load(c.id)).find((d) => !d.supersededAt) ?? null,
  }),
  consensusHistory: t.field({
    type: [ConsensusDecisionRef],
    description: "Every consensus decision, newest first (superseded ones included)",
    resolve: (c, _args, ctx) => decisionsOfCase(ctx).load(c.id),
  }),
}));

const PathologyEventKindEnum = builder.enumType("PathologyEventKind", {
  values: ["LABEL_ADDED", "LABEL_CORRECTED", "LABEL_RETRACTED", "CONSENSUS_DECIDED", "CONSENSUS_SUPERSEDED"] as const,
});
const PathologyEventRef = builder.objectRef<PathologyEvent>("PathologyEvent").implement({
  description: "One step of a case's pathology history",
  fields: (t) => ({
    kind: t.expose("kind", { type: PathologyEventKindEnum }),
    at: t.expose("at", { type: "DateTime" }),
    actor: t.expose("actor", { type: UserSummaryRef, nullable: true }),
    subtype: t.expose("subtype", { type: SubtypeEnum }),
    label: t.field({
      type: PathologyLabelRef,
      nullable: true,
      resolve: async (e, _args, ctx) =>
        e.labelId ? ((await loadVisibleLabels(ctx.db, ctx.viewer, [e.labelId]))[0] ?? null) : null,
    }),
    detail: t.exposeString("detail", {
      nullable: true,
      description: "The label's note, the retraction reason or the decision's rationale",
    }),
  }),
});

builder.queryField("pathologyHistory", (t) =>
  t.field({
    type: [PathologyEventRef],
    authScopes: { authenticated: true },
    description: "Every label and consensus change of a case, oldest first",
    args: { caseId: t.arg.globalID({ required: true, for: CaseRef }) },
    resolve: (_root, args, ctx) => getPathologyHistory(ctx.db, requireViewer(ctx), args.caseId.id),
  }),
);

const AddPathologyLabelInput = builder.inputType("AddPathologyLabelInput", {
  fields: (t) => ({
    caseId: t.globalID({ required: true, for: CaseRef }),
    subtype: t.field({ type: SubtypeEnum, required: true }),
    source: t.field({ type: SpecimenSourceEnum, required: true }),
    specimenDate: t.field({ type: "Date", required: false }),
    laterality: t.field({ type: LateralityEnum, required: false }),
    note: t.string({ required: false }),
  }),
});

const CorrectPathologyLabelInput = builder.inputType("CorrectPathologyLabelInput", {
  fields: (t) => ({
    labelId: t.globalID({ required: true, for: PathologyLabelRef }),
    subtype: t.field({ type: SubtypeEnum, required: true }),
    source: t.field({ type: SpecimenSourceEnum, required: true }),
    specimenDate: t.field({ type: "Date", required: false }),
    laterality: t.field({ type: LateralityEnum, required: false }),
    note: t.string({ required: false }),
    reason: t.string({ required: true, description: "Why the label is corrected (kept in the audit log)" }),
  }),
});

const RetractPathologyLabelInput = builder.inputType("RetractPathologyLabelInput", {
  fields: (t) => ({
    labelId: t.globalID({ required: true, for: PathologyLabelRef }),
    reason: t.string({ required: true }),
  }),
});

const DecideConsensusInput = builder.inputType("DecideConsensusInput", {
  fields: (t) => ({
    caseId: t.globalID({ required: true, for: CaseRef }),
    subtype: t.field({ type: SubtypeEnum, required: true }),
    rationale: t.string({ required: false, description: "Required when the current labels disagree" }),
  }),
});

const labelInput = (input: {
  subtype: PathologyLabel["subtype"];
  source: PathologyLabel["source"];
  specimenDate?: Date | null;
  laterality?: PathologyLabel["laterality"];
  note?: string | null;
}) => ({
  subtype: input.subtype,
  source: input.source,
  specimenDate: input.specimenDate ?? undefined,
  laterality: input.laterality ?? undefined,
  note: input.note ?? undefined,
});

builder.mutationField("addPathologyLabel", (t) =>
  t.field({
    type: PathologyLabelRef,
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: AddPathologyLabelInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      addPathologyLabel(
        ctx.db,
        requireViewer(ctx),
        { caseId: input.caseId.id, ...labelInput(input) },
        { requestId: ctx.requestId },
      ),
  }),
);

builder.mutationField("correctPathologyLabel", (t) =>
  t.field({
    type: PathologyLabelRef,
    authScopes: { authenticated: true },
    description: "Adds the corrected label, which replaces the given (current) one",
    args: { input: t.arg({ type: CorrectPathologyLabelInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      correctPathologyLabel(
        ctx.db,
        requireViewer(ctx),
        { labelId: input.labelId.id, ...labelInput(input), reason: input.reason },
        { requestId: ctx.requestId },
      ),
  }),
);

builder.mutationField("retractPathologyLabel", (t) =>
  t.field({
    type: PathologyLabelRef,
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: RetractPathologyLabelInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      retractPathologyLabel(
        ctx.db,
        requireViewer(ctx),
        { labelId: input.labelId.id, reason: input.reason },
        { requestId: ctx.requestId },
      ),
  }),
);

builder.mutationField("decideConsensus", (t) =>
  t.field({
    type: ConsensusDecisionRef,
    authScopes: { authenticated: true },
    description: "Settles the case's truth among its current labels (supersedes the previous decision)",
    args: { input: t.arg({ type: DecideConsensusInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      decideConsensus(
        ctx.db,
        requireViewer(ctx),
        { caseId: input.caseId.id, subtype: input.subtype, rationale: input.rationale ?? undefined },
        { requestId: ctx.requestId },
      ),
  }),
);
