import { beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import { setupBackend } from "../backends/setup-backend.ts";
import { type Heatmap, heatmapToSourceImage } from "./heatmap.ts";
import { decodeHeatmapPng, encodeHeatmapPng } from "./heatmap-png.ts";

beforeAll(async () => {
  await setupBackend("cpu", () => {});
});

const gaussian = (width: number, height: number, cx: number, cy: number, sigma: number): Heatmap => ({
  width,
  height,
  data: Float32Array.from({ length: width * height }, (_, i) =>
    Math.exp(-(((i % width) - cx) ** 2 + (Math.floor(i / width) - cy) ** 2) / (2 * sigma * sigma)),
  ),
});

describe("heatmap PNG", () => {
  it("stores a map as a small fixed-size 8-bit grey PNG and decodes it back at the image's size", async () => {
    const map = gaussian(300, 200, 120, 80, 30);
    const png = await encodeHeatmapPng(map);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.channels, meta.depth, meta.format]).toEqual([256, 256, 1, "uchar", "png"]);
    expect(png.byteLength).toBeLessThan(20_000);
    const back = await decodeHeatmapPng(png, { width: 300, height: 200 });
    expect([back.width, back.height]).toEqual([300, 200]);
    const maxError = back.data.reduce((m, v, i) => Math.max(m, Math.abs(v - map.data[i]!)), 0);
    expect(maxError).toBeLessThan(0.02);
    expect((await decodeHeatmapPng(png)).width).toBe(256);
  });
});

describe("heatmapToSourceImage", () => {
  it("crops the padding and resizes the content back to the source size", () => {
    // Model square 8x8 holding a 16x8 source at offsetY 2 (content 8x4); content rows are 1.0, padding 0.
    const data = new Float32Array(64);
    for (let y = 2; y < 6; y++) for (let xx = 0; xx < 8; xx++) data[y * 8 + xx] = 1;
    const source = heatmapToSourceImage(
      { width: 8, height: 8, data },
      { sourceWidth: 16, sourceHeight: 8, offsetX: 0, offsetY: 2, contentWidth: 8, contentHeight: 4 },
    );
    expect([source.width, source.height]).toEqual([16, 8]);
    expect(Math.min(...source.data)).toBeCloseTo(1, 6);
  });
});
