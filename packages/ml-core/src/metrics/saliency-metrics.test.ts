import { describe, expect, it } from "vitest";
import { type Heatmap } from "../explain/heatmap.ts";
import { type RegionMask, roiToMask } from "./roi-mask.ts";
import {
  chanceBaselines,
  energyInside,
  iouAtThreshold,
  pixelAuc,
  pointingGame,
  saliencyRegionMetrics,
} from "./saliency-metrics.ts";

const W = 20;
const H = 20;
const mapOf = (f: (x: number, y: number) => number, width = W, height = H): Heatmap => ({
  width,
  height,
  data: Float32Array.from({ length: width * height }, (_, i) => f(i % width, Math.floor(i / width))),
});
const box = (x: number, y: number, width: number, height: number): RegionMask =>
  roiToMask({ shape: "BOX", geometry: { x, y, width, height } }, W, H);

describe("saliency metrics on maps with known answers", () => {
  const region = box(5, 5, 4, 4);
  const indicator = mapOf((x, y) => (region.data[y * W + x] ? 1 : 0));
  const inverse = mapOf((x, y) => (region.data[y * W + x] ? 0 : 1));

  it("a map equal to the region scores perfectly; its inverse scores zero", () => {
    expect(saliencyRegionMetrics(indicator, region, { topFraction: 16 / 400 })).toEqual({
      pointingHit: true,
      pointingDistancePx: 0,
      pointingPlateauPx: 16,
      energyInside: 1,
      iouHalfMax: 1,
      iouTop: 1,
      auc: 1,
    });
    const inv = saliencyRegionMetrics(inverse, region);
    expect([inv.pointingHit, inv.energyInside, inv.iouHalfMax, inv.auc]).toEqual([false, 0, 0, 0]);
  });

  it("pointing game: a peak 7 px from the region hits with tolerance 7, not 6; a flat map never hits", () => {
    const peakAt = (px: number, py: number) => mapOf((x, y) => Math.exp(-((x - px) ** 2 + (y - py) ** 2) / 8));
    // Region x 5..8, y 5..8; peak at (15, 6): nearest region cell (8, 6), 7 px away.
    const result = pointingGame(peakAt(15, 6), region, 7);
    expect(result).toEqual({ hit: true, peak: { x: 15, y: 6 }, plateauPx: 1, distancePx: 7 });
    expect(pointingGame(peakAt(15, 6), region, 6).hit).toBe(false);
    expect(
      pointingGame(
        mapOf(() => 0.3),
        region,
        100,
      ),
    ).toEqual({ hit: false, peak: null, plateauPx: 400, distancePx: null });
  });

  it("energy inside counts only positive mass", () => {
    // 16 region cells at 0.5 (mass 8), 8 outside cells at 1 (mass 8), the rest negative.
    const map = mapOf((x, y) => (region.data[y * W + x] ? 0.5 : y === 15 && x < 8 ? 1 : -3));
    expect(energyInside(map, region)).toBeCloseTo(0.5, 10);
  });

  it("IoU at half the maximum and for the top 10% of pixels", () => {
    const ramp = mapOf((x, y) => y * W + x); // 0..399 in raster order
    const bottom = box(0, 16, 20, 4); // the 80 highest values
    // Top 10% = the 40 highest: all inside the region -> 40 / 80.
    expect(iouAtThreshold(ramp, bottom, { topFraction: 0.1 })).toMatchObject({ iou: 0.5, selectedPixels: 40 });
    // Half the max (199.5): values 200..399, 200 pixels, 80 of them in the region -> 80 / 200.
    expect(iouAtThreshold(ramp, bottom, { fractionOfMax: 0.5 })).toMatchObject({
      iou: 0.4,
      selectedPixels: 200,
      threshold: 199.5,
    });
  });

  it("pixel AUC: 1 for a map that ranks the region first, 0 reversed, 0.5 for a constant map", () => {
    const xRamp = mapOf((x) => x);
    expect(pixelAuc(xRamp, box(10, 0, 10, 20))).toBe(1);
    expect(pixelAuc(xRamp, box(0, 0, 10, 20))).toBe(0);
    expect(
      pixelAuc(
        mapOf(() => 1),
        region,
      ),
    ).toBe(0.5);
    // Column 10 ties with itself only; region = columns 9..10: P(in > out) with half for ties.
    // in {9,10} x20 rows, out {0..8, 11..19}: 9 of 18 out-values are below 9, 9 below 10 -> AUC 0.5.
    expect(pixelAuc(xRamp, box(9, 0, 2, 20))).toBeCloseTo(0.5, 10);
  });

  it("refuses a region of another size or an empty one", () => {
    expect(() =>
      pointingGame(
        mapOf(() => 1, 10, 10),
        region,
      ),
    ).toThrow(/region: is 20x20 but the heatmap is 10x10/);
    expect(() => energyInside(indicator, { width: W, height: H, data: new Uint8Array(W * H) })).toThrow(
      /region: is empty/,
    );
  });
});

describe("pointing game ties and chance baselines (issue 16)", () => {
  it("a plateau of maximal pixels points at its middle, not at its first pixel on the top edge", () => {
    // An 8-bit-like map: a 20 x 10 plateau of the maximum touching the top edge (x 40..59, y 0..9).
    const width = 100;
    const height = 100;
    const map = {
      width,
      height,
      data: Float32Array.from({ length: width * height }, (_, i) => {
        const x = i % width;
        const y = Math.floor(i / width);
        return x >= 40 && x < 60 && y < 10 ? 1 : 0.2;
      }),
    };
    // A lesion around the plateau's middle (49.5, 4.5), 3 px across; 15 px below it the top edge is far.
    const region = roiToMask({ shape: "BOX", geometry: { x: 48, y: 3, width: 3, height: 3 } }, width, height);
    const result = pointingGame(map, region, 0);
    expect(result).toMatchObject({ hit: true, plateauPx: 200, distancePx: 0 });
    // The middle: of the four pixels nearest the centroid (49.5, 4.5), the first in raster order.
    expect(result.peak).toEqual({ x: 49, y: 4 });
  });

  it("chance baselines: a uniform map hits with the share of the image near the region and puts the region's share of its energy inside", () => {
    const region = box(4, 4, 2, 2); // 4 of 400 pixels
    expect(chanceBaselines(region, 0)).toMatchObject({ uniformHitChance: 4 / 400, uniformEnergyInside: 4 / 400 });
    // Within 1 px (Euclidean): the 2 x 2 square and its 8 edge neighbours.
    expect(chanceBaselines(region, 1).uniformHitChance).toBe(12 / 400);
    // Within sqrt(2): the diagonal neighbours too: a 4 x 4 square.
    expect(chanceBaselines(region, Math.SQRT2).uniformHitChance).toBe(16 / 400);
  });

  it("chance baselines: a centre-biased map puts half its energy in the left half and hits a region at the centre only", () => {
    const left = box(0, 0, 10, 20);
    const { centreBiasEnergyInside, centreBiasHit } = chanceBaselines(left, 0);
    expect(centreBiasEnergyInside).toBeCloseTo(0.5, 12); // symmetric about x = 10
    expect(centreBiasHit).toBe(true); // the centre's four tied pixels (9..10, 9..10): the first, (9, 9), is in the left half
    expect(chanceBaselines(box(0, 0, 4, 4), 2).centreBiasHit).toBe(false);
    expect(chanceBaselines(box(8, 8, 4, 4), 0).centreBiasHit).toBe(true);
    // The Gaussian (sigma 5 px) puts about erf(1/sqrt2)^2 = 46.6% of its mass in the central 10 x 10 square.
    expect(chanceBaselines(box(5, 5, 10, 10), 0).centreBiasEnergyInside).toBeCloseTo(0.6827 ** 2 / 0.9876 ** 2, 1);
  });
});
