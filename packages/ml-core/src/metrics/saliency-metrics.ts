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
  /**
   * The map's peak: with one maximal pixel, that pixel; when several pixels share the maximum (a
   * plateau, common in 8-bit maps), the maximal pixel closest to their centroid (the middle of
   * the plateau; for separate maxima, the one nearest their common centre; ties in distance go to
   * the first in raster order). Never simply the first in raster order, which sits on the
   * plateau's top edge. Null for a flat map, which never hits.
   */
  peak: { x: number; y: number } | null;
  /** How many pixels share the maximum (1: a single peak). */
  plateauPx: number;
  /** From the peak to the nearest region pixel, in map pixels (0 inside). */
  distancePx: number | null;
};

/** The map's peak as PointingResult.peak defines it (plateau ties at the middle), or null for a flat map. */
export function peakOf(map: Heatmap): { x: number; y: number; plateauPx: number } | null {
  let max = -Infinity;
  let min = Infinity;
  for (const v of map.data) {
    if (v > max) max = v;
    if (v < min) min = v;
  }
  if (max === min) return null;
  let count = 0;
  let sumX = 0;
  let sumY = 0;
  map.data.forEach((v, i) => {
    if (v !== max) return;
    count++;
    sumX += i % map.width;
    sumY += Math.floor(i / map.width);
  });
  const [cx, cy] = [sumX / count, sumY / count];
  let best = { x: 0, y: 0, d: Infinity };
  map.data.forEach((v, i) => {
    if (v !== max) return;
    const x = i % map.width;
    const y = Math.floor(i / map.width);
    const d = (x - cx) ** 2 + (y - cy) ** 2;
    if (d < best.d) best = { x, y, d };
  });
  return { x: best.x, y: best.y, plateauPx: count };
}

/** Distance from a point to the nearest region pixel, in map pixels (0 inside). */
function distanceToRegion(region: RegionMask, x: number, y: number): number {
  let nearest = Infinity;
  region.data.forEach((v, i) => {
    if (v) nearest = Math.min(nearest, Math.hypot((i % region.width) - x, Math.floor(i / region.width) - y));
  });
  return nearest;
}

/**
 * Pointing game: is the map's peak (ties: see PointingResult.peak) inside the region, or within
 * `tolerancePx` of it (15 px in Zhang et al. 2016)?
 */
export function pointingGame(map: Heatmap, region: RegionMask, tolerancePx = 0): PointingResult {
  check(map, region);
  const peak = peakOf(map);
  if (!peak) return { hit: false, peak: null, plateauPx: map.data.length, distancePx: null };
  const distancePx = distanceToRegion(region, peak.x, peak.y);
  return { hit: distancePx <= tolerancePx, peak: { x: peak.x, y: peak.y }, plateauPx: peak.plateauPx, distancePx };
}

export type ChanceBaselines = {
  /** A uniformly random peak's chance to hit: the share of the image within `tolerancePx` of the region. */
  uniformHitChance: number;
  /** A uniform map's energy inside: the region's share of the image. */
  uniformEnergyInside: number;
  /** Whether a centre-biased map (peak at the image centre) hits. */
  centreBiasHit: boolean;
  /** A centre-biased map's energy inside: a Gaussian at the image centre, sigma a quarter of each side. */
  centreBiasEnergyInside: number;
};

/**
 * What maps that know nothing about the image score on the same region, next to which a real
 * heatmap's pointing game and energy inside can be read: a uniform map, and a centre-biased one
 * (a Gaussian at the image centre, sigma = width / 4 and height / 4), as in the saliency
 * literature's centre-bias baselines.
 */
export function chanceBaselines(region: RegionMask, tolerancePx = 0): ChanceBaselines {
  const { width, height, data } = region;
  const inside = data.reduce((n, v) => n + (v ? 1 : 0), 0);
  if (inside === 0) throw invalidArgument("region", "is empty (it lies outside the image?)");
  // The region dilated by the tolerance (a disc stamped on every region pixel).
  const near = new Uint8Array(data.length);
  const r = Math.floor(tolerancePx);
  const disc: Array<[number, number]> = [];
  for (let dy = -r; dy <= r; dy++)
    for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= tolerancePx ** 2) disc.push([dx, dy]);
  data.forEach((v, i) => {
    if (!v) return;
    const x = i % width;
    const y = Math.floor(i / width);
    for (const [dx, dy] of disc) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx >= 0 && ny >= 0 && nx < width && ny < height) near[ny * width + nx] = 1;
    }
  });
  // Pixel centres at (x + 0.5, y + 0.5); the Gaussian's centre at the image centre.
  const sx = width / 4;
  const sy = height / 4;
  let total = 0;
  let energy = 0;
  data.forEach((v, i) => {
    const dx = (i % width) + 0.5 - width / 2;
    const dy = Math.floor(i / width) + 0.5 - height / 2;
    const g = Math.exp(-(dx * dx) / (2 * sx * sx) - (dy * dy) / (2 * sy * sy));
    total += g;
    if (v) energy += g;
  });
  // The centre-biased map's peak: the pixel(s) at the centre, ties broken as the pointing game does.
  const centre = peakOf({
    width,
    height,
    data: Float32Array.from(data, (_, i) => {
      const dx = (i % width) + 0.5 - width / 2;
      const dy = Math.floor(i / width) + 0.5 - height / 2;
      return -(dx * dx + dy * dy);
    }),
  })!;
  return {
    uniformHitChance: near.reduce((n, v) => n + v, 0) / data.length,
    uniformEnergyInside: inside / data.length,
    centreBiasHit: distanceToRegion(region, centre.x, centre.y) <= tolerancePx,
    centreBiasEnergyInside: energy / total,
  };
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
  /** Pixels sharing the maximum (1: a single peak). */
  pointingPlateauPx: number;
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
    pointingPlateauPx: pointing.plateauPx,
    energyInside: energyInside(map, region),
    iouHalfMax: iouAtThreshold(map, region, { fractionOfMax: 0.5 }).iou,
    iouTop: iouAtThreshold(map, region, { topFraction: options.topFraction ?? 0.1 }).iou,
    auc: coversAll ? null : pixelAuc(map, region),
  };
}
