import type { Breast, Finding, Laterality } from "@mammo/db";
import { builder } from "../../graphql/builder.ts";
import { requireViewer, type GraphQLContext } from "../../graphql/context.ts";
import { ConsensusMethodEnum, LateralityEnum, SubtypeEnum, TruthStatusEnum } from "../../graphql/enums.ts";
import { requestLoader } from "../../graphql/request-loader.ts";
import { CaseLabelStatusEnum, CaseRef, visibleCases } from "../cases/case.schema.ts";
import { userSummaries, UserSummaryRef } from "../users/user.schema.ts";
import type { LabelStatus } from "./case-truth.ts";
import {
  createFinding,
  loadBreastsByCaseIds,
  loadFindingsByCaseIds,
  loadVisibleFindings,
  updateFinding,
} from "./finding.service.ts";

export const findingsOfCase = (ctx: GraphQLContext) =>
  requestLoader(ctx, "findingsByCase", (ids: readonly string[]) => loadFindingsByCaseIds(ctx.db, ctx.viewer, ids));
const breastsOfCase = (ctx: GraphQLContext) =>
  requestLoader(ctx, "breastsByCase", (ids: readonly string[]) => loadBreastsByCaseIds(ctx.db, ctx.viewer, ids));
/** Findings by id as the viewer may see them (null where not), batched like visibleCases. */
export const visibleFindings = (ctx: GraphQLContext) =>
  requestLoader(ctx, "visibleFindings", (ids: readonly string[]) => loadVisibleFindings(ctx.db, ctx.viewer, ids));

export const FindingRef = builder.objectRef<Finding>("Finding");
builder.node(FindingRef, {
  id: { resolve: (f) => f.id },
  description:
    "One lesion (or the statement that a breast is normal) in one breast of a case: it carries the pathology labels, consensus decisions and regions",
  loadMany: (ids, ctx) => loadVisibleFindings(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    key: t.exposeString("key", { description: 'Its name within the case, e.g. "F1"' }),
    laterality: t.expose("laterality", {
      type: LateralityEnum,
      nullable: true,
      description: "The breast; null for a case-level finding carried over from before findings (place it)",
    }),
    note: t.exposeString("note", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    createdBy: t.field({ type: UserSummaryRef, resolve: (f, _args, ctx) => userSummaries(ctx).load(f.createdById) }),
    // Whoever sees a finding sees its case.
    case: t.field({ type: CaseRef, resolve: async (f, _args, ctx) => (await visibleCases(ctx).load(f.caseId))! }),
    labelStatus: t.expose("truthStatus", { type: TruthStatusEnum }),
    truth: t.expose("truthSubtype", {
      type: SubtypeEnum,
      nullable: true,
      description: "The consensus subtype, or the subtype every current label agrees on",
    }),
    truthMethod: t.expose("truthMethod", { type: ConsensusMethodEnum, nullable: true }),
  }),
});

export const BreastRef = builder.objectRef<Breast>("Breast").implement({
  description: "One breast's truth, from the findings on it",
  fields: (t) => ({
    laterality: t.expose("laterality", { type: LateralityEnum }),
    labelStatus: t.expose("truthStatus", { type: TruthStatusEnum }),
    truth: t.expose("truthSubtype", {
      type: SubtypeEnum,
      nullable: true,
      description: "NORMAL, or the most severe truth of its findings (malignant over BENIGN)",
    }),
  }),
});

builder.objectFields(CaseRef, (t) => ({
  findings: t.field({
    type: [FindingRef],
    description: "The case's findings, by breast and key",
    complexity: { field: 1, multiplier: 3 },
    resolve: (c, _args, ctx) => findingsOfCase(ctx).load(c.id),
  }),
  breasts: t.field({
    type: [BreastRef],
    description: "The truth of each breast a finding names",
    complexity: { field: 1, multiplier: 2 },
    resolve: (c, _args, ctx) => breastsOfCase(ctx).load(c.id),
  }),
  labelStatus: t.field({
    type: CaseLabelStatusEnum,
    description: "Derived from the findings: CONFLICT when a finding or a breast is",
    resolve: (c) => c.truthStatus as LabelStatus,
  }),
  truth: t.expose("truthSubtype", {
    type: SubtypeEnum,
    nullable: true,
    description:
      "The most severe truth of the case's findings (malignant over BENIGN over NORMAL) when one class is the most severe; null when unlabelled or in conflict",
  }),
  hasMalignantFinding: t.exposeBoolean("hasMalignantFinding"),
}));

const CreateFindingInput = builder.inputType("CreateFindingInput", {
  fields: (t) => ({
    caseId: t.globalID({ required: true, for: CaseRef }),
    laterality: t.field({ type: LateralityEnum, required: true, description: "The breast (it must have images)" }),
    key: t.string({ required: false, description: 'Its name within the case; "F<n>" when left out' }),
    note: t.string({ required: false }),
  }),
});
const UpdateFindingInput = builder.inputType("UpdateFindingInput", {
  fields: (t) => ({
    findingId: t.globalID({ required: true, for: FindingRef }),
    laterality: t.field({ type: LateralityEnum, required: false, description: "Places the finding on this breast" }),
    note: t.string({ required: false }),
  }),
});

builder.mutationField("createFinding", (t) =>
  t.field({
    type: FindingRef,
    authScopes: { authenticated: true },
    description: "A new finding on one breast of a case (annotators of the case's site)",
    args: { input: t.arg({ type: CreateFindingInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createFinding(
        ctx.db,
        requireViewer(ctx),
        {
          caseId: input.caseId.id,
          laterality: input.laterality as Laterality,
          key: input.key ?? undefined,
          note: input.note ?? undefined,
        },
        { requestId: ctx.requestId },
      ),
  }),
);

builder.mutationField("updateFinding", (t) =>
  t.field({
    type: FindingRef,
    authScopes: { authenticated: true },
    description: "Places a finding on a breast or changes its note",
    args: { input: t.arg({ type: UpdateFindingInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateFinding(
        ctx.db,
        requireViewer(ctx),
        { findingId: input.findingId.id, laterality: input.laterality ?? undefined, note: input.note },
        { requestId: ctx.requestId },
      ),
  }),
);
