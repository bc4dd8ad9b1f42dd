// Pure: no database, no TensorFlow. The API and the trainer feed it the pairs (the API only the
// rows the viewer may see).
import type { Region } from "@mammo/study-stats";

export { regionOf, type Region } from "@mammo/study-stats";

/** One heatmap-region comparison (a ConcordanceResult row) with what it is about. */
export type ConcordancePair = {
  source: "READ" | "ANNOTATION";
  caseId: string;
  imageId: string;
  laterality: "R" | "L";
  view: string;
  /** The case's pathology truth (subtype), when known. */
  subtype: string | null;
  /** READ: the reader (user id) and the study of the read. */
  readerId: string | null;
  studyId: string | null;
  /** READ: where the reader and the AI land on this case (DOMAIN.md: A reader right/AI wrong, B both right, C reader wrong/AI right, D both wrong). */
  region: Region | null;
  /** The lesion the region outlines, to match its CC and MLO views (ANNOTATION: its pathology label; null: the breast is the key). */
  lesionKey: string | null;
  isPointingHit: boolean;
  energyInside: number;
  iou: number;
  pixelAuc: number | null;
  /** Chance baselines on the same region (null for comparisons made before they were recorded). */
  uniformHitChance: number | null;
  uniformEnergyInside: number | null;
  centreBiasHit: boolean | null;
  centreBiasEnergyInside: number | null;
};

export type ConcordanceStats = {
  n: number;
  pointingHitRate: number | null;
  meanEnergyInside: number | null;
  meanIou: number | null;
  /** Over the pairs where the AUC is defined. */
  meanPixelAuc: number | null;
  /**
   * What maps that know nothing of the images score on the same regions (over the pairs that have
   * the baselines): a uniform map's expected hit rate and energy inside, a centre-biased map's
   * (peak at the image centre) hit rate and energy inside. A heatmap's figures mean something only
   * above these.
   */
  chance: {
    n: number;
    uniformHitRate: number | null;
    uniformEnergyInside: number | null;
    centreBiasHitRate: number | null;
    centreBiasEnergyInside: number | null;
  };
};

/** CC vs MLO: does the heatmap treat the same lesion alike in both views? */
export type ViewConsistency = {
  /** Lesions (per source and reader) with a comparison in both a CC and an MLO image. */
  lesions: number;
  bothHit: number;
  oneHit: number;
  neitherHit: number;
  /** (bothHit + neitherHit) / lesions. */
  hitAgreement: number | null;
  meanAbsEnergyDifference: number | null;
  meanAbsIouDifference: number | null;
};

export type ConcordanceSummary = {
  overall: ConcordanceStats;
  bySource: Record<string, ConcordanceStats>;
  bySubtype: Record<string, ConcordanceStats>;
  byReader: Record<string, ConcordanceStats>;
  byRegion: Record<string, ConcordanceStats>;
  viewConsistency: ViewConsistency;
};

const mean = (values: number[]) => (values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null);

export function concordanceStats(pairs: readonly ConcordancePair[]): ConcordanceStats {
  return {
    n: pairs.length,
    pointingHitRate: mean(pairs.map((p) => (p.isPointingHit ? 1 : 0))),
    meanEnergyInside: mean(pairs.map((p) => p.energyInside)),
    meanIou: mean(pairs.map((p) => p.iou)),
    meanPixelAuc: mean(pairs.flatMap((p) => (p.pixelAuc === null ? [] : [p.pixelAuc]))),
    chance: chanceStats(pairs),
  };
}

function chanceStats(pairs: readonly ConcordancePair[]): ConcordanceStats["chance"] {
  const withChance = pairs.filter((p) => p.uniformHitChance !== null && p.centreBiasHit !== null);
  return {
    n: withChance.length,
    uniformHitRate: mean(withChance.map((p) => p.uniformHitChance!)),
    uniformEnergyInside: mean(withChance.map((p) => p.uniformEnergyInside!)),
    centreBiasHitRate: mean(withChance.map((p) => (p.centreBiasHit ? 1 : 0))),
    centreBiasEnergyInside: mean(withChance.map((p) => p.centreBiasEnergyInside!)),
  };
}

function groupStats(
  pairs: readonly ConcordancePair[],
  keyOf: (p: ConcordancePair) => string | null,
): Record<string, ConcordanceStats> {
  const groups = new Map<string, ConcordancePair[]>();
  for (const pair of pairs) {
    const key = keyOf(pair);
    if (key === null) continue;
    const group = groups.get(key);
    // Appended in place: copying the group for every pair was quadratic (minutes at 40 000 pairs).
    if (group) group.push(pair);
    else groups.set(key, [pair]);
  }
  return Object.fromEntries(
    [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([key, group]) => [key, concordanceStats(group)]),
  );
}

/** Pairs CC with MLO comparisons of one lesion (same source, reader, case, breast and lesion key); averages a view's several regions. */
export function viewConsistency(pairs: readonly ConcordancePair[]): ViewConsistency {
  const lesions = new Map<string, { CC: ConcordancePair[]; MLO: ConcordancePair[] }>();
  for (const p of pairs) {
    if (p.view !== "CC" && p.view !== "MLO") continue;
    const key = [p.source, p.readerId ?? "", p.caseId, p.laterality, p.lesionKey ?? ""].join("/");
    const entry = lesions.get(key) ?? { CC: [], MLO: [] };
    entry[p.view].push(p);
    lesions.set(key, entry);
  }
  const matched = [...lesions.values()].filter((l) => l.CC.length > 0 && l.MLO.length > 0);
  const hit = (views: ConcordancePair[]) => views.some((p) => p.isPointingHit);
  const avg = (views: ConcordancePair[], pick: (p: ConcordancePair) => number) => mean(views.map(pick))!;
  const bothHit = matched.filter((l) => hit(l.CC) && hit(l.MLO)).length;
  const neitherHit = matched.filter((l) => !hit(l.CC) && !hit(l.MLO)).length;
  return {
    lesions: matched.length,
    bothHit,
    oneHit: matched.length - bothHit - neitherHit,
    neitherHit,
    hitAgreement: matched.length > 0 ? (bothHit + neitherHit) / matched.length : null,
    meanAbsEnergyDifference: mean(
      matched.map((l) => Math.abs(avg(l.CC, (p) => p.energyInside) - avg(l.MLO, (p) => p.energyInside))),
    ),
    meanAbsIouDifference: mean(matched.map((l) => Math.abs(avg(l.CC, (p) => p.iou) - avg(l.MLO, (p) => p.iou)))),
  };
}

/** The concordance report: overall, by source, by subtype, by reader, by A/B/C/D region, and CC vs MLO consistency. */
export function summariseConcordance(pairs: readonly ConcordancePair[]): ConcordanceSummary {
  return {
    overall: concordanceStats(pairs),
    bySource: groupStats(pairs, (p) => p.source),
    bySubtype: groupStats(pairs, (p) => p.subtype),
    byReader: groupStats(pairs, (p) => (p.source === "READ" ? p.readerId : null)),
    byRegion: groupStats(pairs, (p) => p.region),
    viewConsistency: viewConsistency(pairs),
  };
}
