import type { ConcordanceStats, ConcordanceSummary, ViewConsistency } from "@mammo/concordance";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { getConcordanceSummary } from "./concordance-summary.service.ts";
import { InferenceRunRef } from "./inference.schema.ts";

const ChanceRef = builder.objectRef<ConcordanceStats["chance"]>("ConcordanceChance").implement({
  description:
    "What maps that know nothing of the images score on the same regions: a uniform map (expected hit rate: the share of the image within the pointing tolerance of each region; energy inside: the region's share) and a centre-biased map (a Gaussian at the image centre, sigma a quarter of each side). Over the n comparisons that have them.",
  fields: (t) => ({
    n: t.exposeInt("n"),
    uniformHitRate: t.exposeFloat("uniformHitRate", { nullable: true }),
    uniformEnergyInside: t.exposeFloat("uniformEnergyInside", { nullable: true }),
    centreBiasHitRate: t.exposeFloat("centreBiasHitRate", { nullable: true }),
    centreBiasEnergyInside: t.exposeFloat("centreBiasEnergyInside", { nullable: true }),
  }),
});

const ConcordanceStatsRef = builder.objectRef<ConcordanceStats>("ConcordanceStats").implement({
  description: "Heatmap-vs-region metrics averaged over n comparisons (null when n is 0)",
  fields: (t) => ({
    n: t.exposeInt("n"),
    pointingHitRate: t.exposeFloat("pointingHitRate", { nullable: true }),
    meanEnergyInside: t.exposeFloat("meanEnergyInside", { nullable: true }),
    meanIou: t.exposeFloat("meanIou", { nullable: true }),
    meanPixelAuc: t.exposeFloat("meanPixelAuc", { nullable: true }),
    chance: t.field({
      type: ChanceRef,
      description: "The same figures for chance maps on the same regions",
      resolve: (s) => s.chance,
    }),
  }),
});

type Group = { key: string; stats: ConcordanceStats };
const ConcordanceGroupRef = builder.objectRef<Group>("ConcordanceGroup").implement({
  fields: (t) => ({
    key: t.exposeString("key", { description: "source, subtype, reader (user id) or region A/B/C/D" }),
    stats: t.field({ type: ConcordanceStatsRef, resolve: (g) => g.stats }),
  }),
});

const ViewConsistencyRef = builder.objectRef<ViewConsistency>("ViewConsistency").implement({
  description: "CC vs MLO: does the heatmap treat the same lesion alike in both views?",
  fields: (t) => ({
    lesions: t.exposeInt("lesions"),
    bothHit: t.exposeInt("bothHit"),
    oneHit: t.exposeInt("oneHit"),
    neitherHit: t.exposeInt("neitherHit"),
    hitAgreement: t.exposeFloat("hitAgreement", { nullable: true }),
    meanAbsEnergyDifference: t.exposeFloat("meanAbsEnergyDifference", { nullable: true }),
    meanAbsIouDifference: t.exposeFloat("meanAbsIouDifference", { nullable: true }),
  }),
});

const groups = (record: Record<string, ConcordanceStats>): Group[] =>
  Object.entries(record).map(([key, stats]) => ({ key, stats }));

const ConcordanceSummaryRef = builder.objectRef<ConcordanceSummary>("ConcordanceSummary").implement({
  fields: (t) => ({
    overall: t.field({ type: ConcordanceStatsRef, resolve: (s) => s.overall }),
    bySource: t.field({ type: [ConcordanceGroupRef], resolve: (s) => groups(s.bySource) }),
    bySubtype: t.field({ type: [ConcordanceGroupRef], resolve: (s) => groups(s.bySubtype) }),
    byReader: t.field({ type: [ConcordanceGroupRef], resolve: (s) => groups(s.byReader) }),
    byRegion: t.field({ type: [ConcordanceGroupRef], resolve: (s) => groups(s.byRegion) }),
    viewConsistency: t.field({ type: ViewConsistencyRef, resolve: (s) => s.viewConsistency }),
  }),
});

builder.objectField(InferenceRunRef, "concordanceSummary", (t) =>
  t.field({
    type: ConcordanceSummaryRef,
    description: "Heatmaps vs lesion outlines and readers' marks (of closed studies), aggregated",
    complexity: 20,
    resolve: (run, _args, ctx) => getConcordanceSummary(ctx.db, requireViewer(ctx), run.id),
  }),
);
