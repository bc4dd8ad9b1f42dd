import { invalidArgument } from "../errors/ml-core-error.ts";
import { assertHeatmap, type Heatmap } from "../explain/heatmap.ts";
import { type RegionMask } from "./roi-mask.ts";

function check(map: Heatmap, region: RegionMask, needsOutside = false): number {
  assertHeatmap(map);
  if (map.width !== region.width || map.height !== region.height)
    throw invalidArgument(
      "region",
      `is ${region.width}x${region.height} but the heatmap is ${map.width}x${map.height}`,
    );
  const inside = region.data.reduce((s, v) => s + (v ? 1 : 0), 0);
  if (inside === 0) throw invalidArgument("region", "is empty (it lies outside the image?)");
  if (needsOutside && inside === region.data.length)
    throw invalidArgument("region", "covers the whole image: nothing to compare against");
  return inside;
}

export type PointingResult = {
  hit: boolean;
  /** The map's maximum (first in raster order on ties); null for a flat map, which never hits. */
  peak: { x: number; y: number } | null;
  /** From the peak to the nearest region pixel, in map pixels (0 inside). */
  distancePx: number | null;
};

/** Pointing game: is the map's maximum inside the region, or within `tolerancePx` of it (15 px in Zhang et al. 2016)? */
export function pointingGame(map: Heatmap, region: RegionMask, tolerancePx = 0): PointingResult {
  check(map, region);
  let best = 0;
  let min = Infinity;
  map.data.forEach((v, i) => {
    if (v > map.data[best]!) best = i;
    if (v < min) min = v;
  });
  if (map.data[best]! === min) return { hit: false, peak: null, distancePx: null };
  const peak = { x: best % map.width, y: Math.floor(best / map.width) };
  let nearest = Infinity;
  region.data.forEach((v, i) => {
    if (v) nearest = Math.min(nearest, Math.hypot((i % map.width) - peak.x, Math.floor(i / map.width) - peak.y));
  });
  return { hit: nearest <= tolerancePx, peak, distancePx: nearest };
}

/** Energy-based pointing game: the share of the map's positive mass inside the region (0..1; 0 for a map with none). */
export function energyInside(map: Heatmap, region: RegionMask): number {
  check(map, region);
  let total = 0;
  let inside = 0;
  map.data.forEach((v, i) => {
    if (v > 0) {
      total += v;
      if (region.data[i]) inside += v;
    }
  });
  return total > 0 ? inside / total : 0;
}

/** Threshold: a fraction of the map's maximum, or the top fraction of pixels (ties at the cut are all kept). */
export type SaliencyThreshold = { fractionOfMax: number } | { topFraction: number };

export type IouResult = { iou: number; threshold: number; selectedPixels: number };

/** IoU of the thresholded map (pixels >= threshold, and > 0) with the region. */
export function iouAtThreshold(map: Heatmap, region: RegionMask, threshold: SaliencyThreshold): IouResult {
  check(map, region);
  let cut: number;
  if ("fractionOfMax" in threshold) {
    if (!(threshold.fractionOfMax > 0 && threshold.fractionOfMax <= 1))
      throw invalidArgument("threshold.fractionOfMax", `must be in (0, 1], got ${threshold.fractionOfMax}`);
    cut = threshold.fractionOfMax * map.data.reduce((m, v) => Math.max(m, v), -Infinity);
  } else {
    if (!(threshold.topFraction > 0 && threshold.topFraction <= 1))
      throw invalidArgument("threshold.topFraction", `must be in (0, 1], got ${threshold.topFraction}`);
    const sorted = Float32Array.from(map.data).sort();
    const keep = Math.max(1, Math.round(threshold.topFraction * sorted.length));
    cut = sorted[sorted.length - keep]!;
  }
  let intersection = 0;
  let union = 0;
  let selected = 0;
  map.data.forEach((v, i) => {
    const isSelected = v >= cut && v > 0;
    if (isSelected) selected++;
    if (isSelected && region.data[i]) intersection++;
    if (isSelected || region.data[i]) union++;
  });
  return { iou: union > 0 ? intersection / union : 0, threshold: cut, selectedPixels: selected };
}

/** AUC of the map as a score for "pixel inside the region" (Mann-Whitney; ties count one half). */
export function pixelAuc(map: Heatmap, region: RegionMask): number {
  const insideCount = check(map, region, true);
  const inside = new Float32Array(insideCount);
  const outside = new Float32Array(map.data.length - insideCount);
  let a = 0;
  let b = 0;
  map.data.forEach((v, i) => {
    if (region.data[i]) inside[a++] = v;
    else outside[b++] = v;
  });
  inside.sort();
  outside.sort();
  // For each inside value: outside values below it count 1, equal ones 1/2.
  let below = 0;
  let notAbove = 0;
  let wins = 0;
  for (const v of inside) {
    while (below < outside.length && outside[below]! < v) below++;
    if (notAbove < below) notAbove = below;
    while (notAbove < outside.length && outside[notAbove]! <= v) notAbove++;
    wins += below + (notAbove - below) / 2;
  }
  return wins / (inside.length * outside.length);
}

export type SaliencyRegionMetrics = {
  pointingHit: boolean;
  pointingDistancePx: number | null;
  energyInside: number;
  iouHalfMax: number;
  iouTop: number;
  auc: number | null;
};

/** All four comparisons of a heatmap with a region, as the concordance reports list them. */
export function saliencyRegionMetrics(
  map: Heatmap,
  region: RegionMask,
  options: { tolerancePx?: number; topFraction?: number } = {},
): SaliencyRegionMetrics {
  const pointing = pointingGame(map, region, options.tolerancePx ?? 0);
  const coversAll = region.data.every((v) => v);
  return {
    pointingHit: pointing.hit,
    pointingDistancePx: pointing.distancePx,
    energyInside: energyInside(map, region),
    iouHalfMax: iouAtThreshold(map, region, { fractionOfMax: 0.5 }).iou,
    iouTop: iouAtThreshold(map, region, { topFraction: options.topFraction ?? 0.1 }).iou,
    auc: coversAll ? null : pixelAuc(map, region),
  };
}
