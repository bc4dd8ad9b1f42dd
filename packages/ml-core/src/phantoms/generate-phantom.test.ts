import { describe, expect, it } from "vitest";
import { generatePhantom, generatePhantomSet, type Phantom } from "./generate-phantom.ts";

const at = (p: Phantom, x: number, y: number) => p.image8[y * p.width + x]!;

/** Shoelace area and circularity (4 pi A / P^2: 1 for a circle, low for a star) of an outline. */
function outlineShape(points: Array<[number, number]>) {
  let area = 0;
  let perimeter = 0;
  points.forEach(([x1, y1], i) => {
    const [x2, y2] = points[(i + 1) % points.length]!;
    area += x1 * y2 - x2 * y1;
    perimeter += Math.hypot(x2 - x1, y2 - y1);
  });
  area = Math.abs(area) / 2;
  return { area, circularity: (4 * Math.PI * area) / perimeter ** 2 };
}

/** Mean brightness inside the lesion minus a ring 2.6-3.6 radii out, and the ring 1.15-2.1 radii out minus the same far ring. */
function lesionContrast(p: Phantom) {
  const lesion = p.lesion!;
  const radius = Math.sqrt(outlineShape(lesion.outline).area / Math.PI);
  const ringMean = (r0: number, r1: number) => {
    let sum = 0;
    let n = 0;
    p.image8.forEach((v, i) => {
      const d = Math.hypot((i % p.width) - lesion.centre.x, Math.floor(i / p.width) - lesion.centre.y) / radius;
      if (d >= r0 && d < r1 && p.breastMask[i]) {
        sum += v;
        n++;
      }
    });
    return sum / n;
  };
  let inside = 0;
  let n = 0;
  p.lesionMask.forEach((v, i) => {
    if (v) {
      inside += p.image8[i]!;
      n++;
    }
  });
  const far = ringMean(2.6, 3.6);
  return { mass: inside / n - far, surroundings: ringMean(1.15, 2.1) - far };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe("generatePhantom", () => {
  it("gives the same pixels for the same seed and others for another", () => {
    const a = generatePhantom({ seed: 1, subtype: "SOLID" });
    const b = generatePhantom({ seed: 1, subtype: "SOLID" });
    expect(Buffer.from(b.image8).equals(Buffer.from(a.image8))).toBe(true);
    expect(Buffer.from(b.lesionMask).equals(Buffer.from(a.lesionMask))).toBe(true);
    expect([b.lesion, b.view, b.laterality]).toEqual([a.lesion, a.view, a.laterality]);
    expect(Buffer.from(generatePhantom({ seed: 2, subtype: "SOLID" }).image8).equals(Buffer.from(a.image8))).toBe(
      false,
    );
  });

  it("hangs the breast for reading: chest wall on the right for R, on the left for L", () => {
    for (const view of ["CC", "MLO"] as const) {
      const r = generatePhantom({ seed: 3, subtype: "NORMAL", view, laterality: "R" });
      const l = generatePhantom({ seed: 3, subtype: "NORMAL", view, laterality: "L" });
      const mid = Math.round(r.height * 0.6);
      expect([at(r, r.width - 1, mid) > 40, at(r, 0, mid) < 10]).toEqual([true, true]); // air is near black
      expect([at(l, 0, mid) > 40, at(l, l.width - 1, mid) < 10]).toEqual([true, true]);
    }
  });

  it("draws the pectoral muscle at the chest wall's top in MLO only, and a bright skin line", () => {
    const mlo = generatePhantom({ seed: 4, subtype: "NORMAL", view: "MLO", laterality: "L" });
    const cc = generatePhantom({ seed: 4, subtype: "NORMAL", view: "CC", laterality: "L" });
    expect(at(mlo, 3, 3)).toBeGreaterThan(140);
    expect(at(cc, 3, 3)).toBeLessThan(60);
    // Along the middle row, the outermost breast pixel (skin) is brighter than the tissue 5 px inside it.
    const y = Math.round(cc.height / 2);
    let edge = 0;
    for (let x = 0; x < cc.width; x++) if (cc.breastMask[y * cc.width + x]) edge = x;
    expect(at(cc, edge, y) + at(cc, edge - 1, y)).toBeGreaterThan(at(cc, edge - 5, y) + at(cc, edge - 6, y) + 20);
  });

  it("returns a lesion mask inside the breast that matches the outline, or none for NORMAL", () => {
    for (const subtype of ["TUBULE_FORMING", "SOLID", "SCIRRHOUS"] as const) {
      const p = generatePhantom({ seed: 5, subtype, with16Bit: true });
      const area = p.lesionMask.reduce((s, v) => s + v, 0);
      expect(area / outlineShape(p.lesion!.outline).area).toBeGreaterThan(0.9);
      expect(area / outlineShape(p.lesion!.outline).area).toBeLessThan(1.1);
      expect(p.lesionMask.every((v, i) => !v || p.breastMask[i])).toBe(true);
      const { x, y, width, height } = p.lesion!.boundingBox;
      expect(
        x <= p.lesion!.centre.x &&
          p.lesion!.centre.x <= x + width &&
          y <= p.lesion!.centre.y &&
          p.lesion!.centre.y <= y + height,
      ).toBe(true);
      expect(p.image16!.every((v, i) => Math.abs(v / 257 - p.image8[i]!) <= 1)).toBe(true);
    }
    const normal = generatePhantom({ seed: 5, subtype: "NORMAL" });
    expect([normal.lesion, normal.lesionMask.some((v) => v), normal.image16]).toEqual([null, false, null]);
  });

  it("shapes each subtype's lesion as its morphology says", () => {
    const sets = Object.fromEntries(
      (["SOLID", "TUBULE_FORMING", "SCIRRHOUS"] as const).map((subtype) => [
        subtype,
        Array.from({ length: 4 }, (_, i) => generatePhantom({ seed: `morph-${i}`, subtype })),
      ]),
    );
    const circularity = (subtype: string) => sets[subtype]!.map((p) => outlineShape(p.lesion!.outline).circularity);
    const contrast = (subtype: string) => sets[subtype]!.map(lesionContrast);
    // Solid: round, well circumscribed, the densest mass.
    expect(Math.min(...circularity("SOLID"))).toBeGreaterThan(0.9);
    // Tubule forming: lobulated outline, and density in its surroundings.
    expect(Math.max(...circularity("TUBULE_FORMING"))).toBeLessThan(0.9);
    expect(Math.min(...circularity("TUBULE_FORMING"))).toBeGreaterThan(0.5);
    expect(mean(contrast("TUBULE_FORMING").map((c) => c.surroundings))).toBeGreaterThan(
      mean(contrast("SOLID").map((c) => c.surroundings)) + 5,
    );
    // Scirrhous: a spiculated star.
    expect(Math.max(...circularity("SCIRRHOUS"))).toBeLessThan(0.3);
    expect(mean(contrast("SOLID").map((c) => c.mass))).toBeGreaterThan(
      mean(contrast("TUBULE_FORMING").map((c) => c.mass)),
    );
  });

  it("makes balanced sets and refuses bad options", () => {
    const set = generatePhantomSet({ count: 6, seed: "set", classes: ["SOLID", "NORMAL"], widthPx: 64, heightPx: 80 });
    expect(set.map((p) => p.subtype)).toEqual(["SOLID", "NORMAL", "SOLID", "NORMAL", "SOLID", "NORMAL"]);
    expect(() => generatePhantom({ seed: 1, subtype: "SOLID", widthPx: 20 })).toThrow(
      /phantom size: must be integers of at least 64/,
    );
    expect(() => generatePhantom({ seed: 1, subtype: "LOBULAR" as never })).toThrow(/subtype: must be one of/);
  });
});
