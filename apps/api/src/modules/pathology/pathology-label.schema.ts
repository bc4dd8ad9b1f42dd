import type { PathologyLabel } from "@mammo/db";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { LateralityEnum, SpecimenSourceEnum, SubtypeEnum } from "../../graphql/enums.ts";
import { addPathologyLabel } from "./pathology-label.service.ts";

type LabelShape = PathologyLabel & { author?: { id: string; name: string } };

const UserSummaryRef = builder.objectRef<{ id: string; name: string }>("UserSummary").implement({
  fields: (t) => ({ id: t.exposeID("id"), name: t.exposeString("name") }),
});

export const PathologyLabelRef = builder.objectRef<LabelShape>("PathologyLabel").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    subtype: t.expose("subtype", { type: SubtypeEnum }),
    source: t.expose("source", { type: SpecimenSourceEnum }),
    specimenDate: t.expose("specimenDate", { type: "Date", nullable: true }),
    laterality: t.expose("laterality", { type: LateralityEnum, nullable: true }),
    note: t.exposeString("note", { nullable: true }),
    author: t.field({
      type: UserSummaryRef,
      resolve: async (label, _args, ctx) =>
        label.author ?? (await ctx.db.user.findUniqueOrThrow({ where: { id: label.authorId }, select: { id: true, name: true } })),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    retractedAt: t.expose("retractedAt", { type: "DateTime", nullable: true }),
  }),
});

const AddPathologyLabelInput = builder.inputType("AddPathologyLabelInput", {
  fields: (t) => ({
    caseId: t.globalID({ required: true }),
    subtype: t.field({ type: SubtypeEnum, required: true }),
    source: t.field({ type: SpecimenSourceEnum, required: true }),
    specimenDate: t.field({ type: "Date", required: false }),
    laterality: t.field({ type: LateralityEnum, required: false }),
    note: t.string({ required: false }),
  }),
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
          caseId: input.caseId.id,
          subtype: input.subtype,
          source: input.source,
          specimenDate: input.specimenDate ?? undefined,
          laterality: input.laterality ?? undefined,
          note: input.note ?? undefined,
        },
        ctx.requestId,
      ),
  }),
);
