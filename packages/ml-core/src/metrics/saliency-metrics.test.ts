import { describe, expect, it } from "vitest";
import { type Heatmap } from "../explain/heatmap.ts";
import { type RegionMask, roiToMask } from "./roi-mask.ts";
import { energyInside, iouAtThreshold, pixelAuc, pointingGame, saliencyRegionMetrics } from "./saliency-metrics.ts";

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
    expect(result).toEqual({ hit: true, peak: { x: 15, y: 6 }, distancePx: 7 });
    expect(pointingGame(peakAt(15, 6), region, 6).hit).toBe(false);
    expect(
      pointingGame(
        mapOf(() => 0.3),
        region,
        100,
      ),
    ).toEqual({ hit: false, peak: null, distancePx: null });
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
