import sharp from "sharp";
import { seededRandom } from "../lib/seeded-random.ts";

export type DemoLesion = { cx: number; cy: number; rx: number; ry: number };

/**
 * A simple mammogram-like picture for demo data: breast silhouette against the chest wall,
 * smooth parenchymal texture and, optionally, a brighter lesion. Stored as hung for reading: the
 * chest wall on the image's right for right-breast views and on its left for left-breast views,
 * so RCC|LCC and RMLO|LMLO sit back to back.
 */
export async function renderDemoMammogram(options: {
  widthPx: number;
  heightPx: number;
  laterality: "R" | "L";
  view: "CC" | "MLO";
  seed: number;
  lesion?: DemoLesion;
  lesionKind?: "lobulated" | "round" | "spiculated";
}): Promise<Buffer> {
  const { widthPx: w, heightPx: h } = options;
  const random = seededRandom(options.seed);
  const pixels = new Uint8Array(w * h);
  // Low-frequency texture: a sum of a few random blobs.
  const blobs = Array.from({ length: 24 }, () => ({ x: random() * w * 0.7, y: random() * h, r: (0.05 + random() * 0.12) * w, a: 20 + random() * 40 }));
  const spikes = Array.from({ length: 10 }, () => random() * Math.PI * 2);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Distance from the chest wall (the image's right edge for R, left edge for L).
      const depth = options.laterality === "R" ? w - 1 - x : x;
      const ny = (y - h / 2) / (h * 0.46);
      const edge = w * 0.78 * Math.sqrt(Math.max(0, 1 - ny * ny));
      let value = 0;
      if (depth < edge) {
        value = 70 + 40 * (1 - depth / Math.max(edge, 1));
        for (const b of blobs) {
          const d2 = (depth - b.x) ** 2 + (y - b.y) ** 2;
          value += b.a * Math.exp(-d2 / (2 * b.r * b.r));
        }
        if (edge - depth < 3) value += 25; // skin line
        if (options.view === "MLO" && depth < w * 0.3 * (1 - y / (h * 0.6))) value += 60; // pectoral muscle
        value += (random() - 0.5) * 14;
      }
      if (options.lesion) {
        const l = options.lesion;
        const dx = (x - l.cx) / l.rx; // lesion coordinates are image coordinates
        const dy = (y - l.cy) / l.ry;
        const r = Math.sqrt(dx * dx + dy * dy);
        const angle = Math.atan2(dy, dx);
        if (options.lesionKind === "spiculated") {
          const spike = Math.max(...spikes.map((s) => Math.cos(angle - s))) ** 40;
          if (r < 1 + 1.6 * spike) value += 70 * Math.max(0, 1 - r / (1 + 1.6 * spike)) + (r < 0.6 ? 40 : 0);
        } else if (options.lesionKind === "lobulated") {
          const lobes = 1 + 0.25 * Math.sin(angle * 4);
          if (r < lobes) value += 65;
        } else if (r < 1) {
          value += 90;
        }
      }
      pixels[y * w + x] = Math.max(0, Math.min(255, Math.round(value)));
    }
  }
  return sharp(pixels, { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();
}
