import type { ConsensusDecision, PathologyLabel } from "@mammo/db";
import { builder } from "../../graphql/builder.ts";
import { requireViewer, type GraphQLContext } from "../../graphql/context.ts";
import { ConsensusMethodEnum, LateralityEnum, SpecimenSourceEnum, SubtypeEnum } from "../../graphql/enums.ts";
import { requestLoader } from "../../graphql/request-loader.ts";
import { CaseRef } from "../cases/case.schema.ts";
import { userSummaries, UserSummaryRef } from "../users/user.schema.ts";
import { currentLabels } from "./case-truth.ts";
import {
  decideConsensus,
  getPathologyHistory,
  loadConsensusByFindingIds,
  loadVisibleDecisions,
  type PathologyEvent,
} from "./consensus.service.ts";
import { FindingRef, visibleFindings } from "./finding.schema.ts";
import {
  addPathologyLabel,
  correctPathologyLabel,
  loadLabelsByCaseIds,
  loadLabelsByFindingIds,
  loadVisibleLabels,
  retractPathologyLabel,
} from "./pathology-label.service.ts";

type Author = { author: { id: string; name: string } };
type LabelShape = PathologyLabel & Partial<Author> & { isCurrent?: boolean };
type DecisionShape = ConsensusDecision & { decidedBy?: { id: string; name: string } };

const labelsOfFinding = (ctx: GraphQLContext) =>
  requestLoader(ctx, "labelsByFinding", (ids: readonly string[]) => loadLabelsByFindingIds(ctx.db, ctx.viewer, ids));
const labelsOfCase = (ctx: GraphQLContext) =>
  requestLoader(ctx, "labelsByCase", (ids: readonly string[]) => loadLabelsByCaseIds(ctx.db, ctx.viewer, ids));
const decisionsOfFinding = (ctx: GraphQLContext) =>
  requestLoader(ctx, "consensusByFinding", (ids: readonly string[]) =>
    loadConsensusByFindingIds(ctx.db, ctx.viewer, ids),
  );
// Whoever sees a label, decision or history step sees its finding.
const findingOf = async (ctx: GraphQLContext, id: string) => (await visibleFindings(ctx).load(id))!;
const visibleLabels = (ctx: GraphQLContext) =>
  requestLoader(ctx, "visibleLabels", (ids: readonly string[]) => loadVisibleLabels(ctx.db, ctx.viewer, ids));

export const PathologyLabelRef = builder.objectRef<LabelShape>("PathologyLabel");
builder.node(PathologyLabelRef, {
  id: { resolve: (label) => label.id },
  loadMany: (ids, ctx) => loadVisibleLabels(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    subtype: t.expose("subtype", { type: SubtypeEnum }),
    source: t.expose("source", { type: SpecimenSourceEnum }),
    specimenDate: t.expose("specimenDate", { type: "Date", nullable: true }),
    finding: t.field({ type: FindingRef, resolve: (label, _args, ctx) => findingOf(ctx, label.findingId) }),
    laterality: t.field({
      type: LateralityEnum,
      nullable: true,
      description: "The breast of the label's finding",
      resolve: async (label, _args, ctx) => (await findingOf(ctx, label.findingId)).laterality,
    }),
    note: t.exposeString("note", { nullable: true }),
    author: t.field({
      type: UserSummaryRef,
      resolve: (label, _args, ctx) => label.author ?? userSummaries(ctx).load(label.authorId),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    retractedAt: t.expose("retractedAt", { type: "DateTime", nullable: true }),
    replaces: t.field({
      type: PathologyLabelRef,
      nullable: true,
      description: "The label this one corrects",
      resolve: async (label, _args, ctx) =>
        label.replacesId
          ? ((await labelsOfFinding(ctx).load(label.findingId)).find((l) => l.id === label.replacesId) ?? null)
          : null,
    }),
    isCurrent: t.boolean({
      description: "Neither retracted nor replaced by a correction",
      resolve: async (label, _args, ctx) =>
        label.isCurrent ??
        currentLabels(await labelsOfFinding(ctx).load(label.findingId)).some((l) => l.id === label.id),
    }),
  }),
});

export const ConsensusDecisionRef = builder.objectRef<DecisionShape>("ConsensusDecision");
builder.node(ConsensusDecisionRef, {
  id: { resolve: (d) => d.id },
  loadMany: (ids, ctx) => loadVisibleDecisions(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    finding: t.field({ type: FindingRef, resolve: (d, _args, ctx) => findingOf(ctx, d.findingId) }),
    subtype: t.expose("subtype", { type: SubtypeEnum }),
    method: t.expose("method", { type: ConsensusMethodEnum }),
    rationale: t.exposeString("rationale", { nullable: true }),
    decidedBy: t.field({
      type: UserSummaryRef,
      resolve: (d, _args, ctx) => d.decidedBy ?? userSummaries(ctx).load(d.decidedById),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    supersededAt: t.expose("supersededAt", { type: "DateTime", nullable: true }),
  }),
});

builder.objectFields(FindingRef, (t) => ({
  pathologyLabels: t.field({
    type: [PathologyLabelRef],
    description: "Every label of the finding, newest first (corrected and retracted ones included)",
    resolve: (f, _args, ctx) => labelsOfFinding(ctx).load(f.id),
  }),
  consensus: t.field({
    type: ConsensusDecisionRef,
    nullable: true,
    description: "The current consensus decision",
    resolve: async (f, _args, ctx) => (await decisionsOfFinding(ctx).load(f.id)).find((d) => !d.supersededAt) ?? null,
  }),
  consensusHistory: t.field({
    type: [ConsensusDecisionRef],
    description: "Every consensus decision, newest first (superseded ones included)",
    resolve: (f, _args, ctx) => decisionsOfFinding(ctx).load(f.id),
  }),
}));

builder.objectFields(CaseRef, (t) => ({
  pathologyLabels: t.field({
    type: [PathologyLabelRef],
    description: "Every label of the case's findings, newest first (corrected and retracted ones included)",
    resolve: (c, _args, ctx) => labelsOfCase(ctx).load(c.id),
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
    finding: t.field({ type: FindingRef, resolve: (e, _args, ctx) => findingOf(ctx, e.findingId) }),
    actor: t.expose("actor", { type: UserSummaryRef, nullable: true }),
    subtype: t.expose("subtype", { type: SubtypeEnum }),
    label: t.field({
      type: PathologyLabelRef,
      nullable: true,
      resolve: async (e, _args, ctx) => (e.labelId ? ((await visibleLabels(ctx).load(e.labelId)) ?? null) : null),
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
  description:
    "A label of an existing finding (findingId), or the first label of a new finding (caseId and laterality)",
  fields: (t) => ({
    findingId: t.globalID({ required: false, for: FindingRef }),
    caseId: t.globalID({ required: false, for: CaseRef }),
    laterality: t.field({ type: LateralityEnum, required: false, description: "The new finding's breast" }),
    subtype: t.field({ type: SubtypeEnum, required: true }),
    source: t.field({ type: SpecimenSourceEnum, required: true }),
    specimenDate: t.field({ type: "Date", required: false }),
    note: t.string({ required: false }),
  }),
});

const CorrectPathologyLabelInput = builder.inputType("CorrectPathologyLabelInput", {
  fields: (t) => ({
    labelId: t.globalID({ required: true, for: PathologyLabelRef }),
    subtype: t.field({ type: SubtypeEnum, required: true }),
    source: t.field({ type: SpecimenSourceEnum, required: true }),
    specimenDate: t.field({ type: "Date", required: false }),
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
    findingId: t.globalID({ required: true, for: FindingRef }),
    subtype: t.field({ type: SubtypeEnum, required: true }),
    rationale: t.string({ required: false, description: "Required when the current labels disagree" }),
  }),
});

const labelInput = (input: {
  subtype: PathologyLabel["subtype"];
  source: PathologyLabel["source"];
  specimenDate?: Date | null;
  note?: string | null;
}) => ({
  subtype: input.subtype,
  source: input.source,
  specimenDate: input.specimenDate ?? undefined,
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
        {
          findingId: input.findingId?.id,
          caseId: input.caseId?.id,
          laterality: input.laterality ?? undefined,
          ...labelInput(input),
        },
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
    description: "Settles a finding's truth among its current labels (supersedes the previous decision)",
    args: { input: t.arg({ type: DecideConsensusInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      decideConsensus(
        ctx.db,
        requireViewer(ctx),
        { findingId: input.findingId.id, subtype: input.subtype, rationale: input.rationale ?? undefined },
        { requestId: ctx.requestId },
      ),
  }),
);
